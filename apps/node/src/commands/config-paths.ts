/**
 * A preset's `--set` paths, derived from the parts' schemas (`FieldSpecs`, @learnability/presets):
 * one line per option with the preset's value, the default when it differs, and the doc line.
 * What `learnability presets <name>` prints, so the help never restates a default or a range.
 */
import type { PartConfig } from '@learnability/core';
import { LEARNERS, MODELS, RUN_FIELDS, TASKS, TRAINERS, validateConfig } from '@learnability/presets';
import type { FieldSpecs } from '@learnability/core';
import type { Preset } from '@learnability/presets';

const show = (v: unknown) => JSON.stringify(v);

/** `path = value unit  (default d) doc; default: why` for every field of one part or of `run`. */
function fieldLines(prefix: string, fields: FieldSpecs, values: Record<string, unknown>): string[] {
  return Object.entries(fields).map(([key, spec]) => {
    const value = `${show(values[key])}${spec.unit ? ` ${spec.unit}` : ''}`;
    const differs = show(values[key]) !== show(spec.default);
    const why = spec.why ? `; default: ${spec.why}` : '';
    return `  ${`${prefix}.${key} = ${value}`.padEnd(44)} ${differs ? `(default ${show(spec.default)}) ` : ''}${spec.doc}${why}`;
  });
}

function partLines(
  prefix: string,
  part: PartConfig | undefined,
  registry: Record<string, { doc: string; fields: FieldSpecs }>,
): string[] {
  if (!part) return [];
  const entry = registry[part.name];
  if (!entry) return [`  ${prefix}.name = ${show(part.name)}`];
  return [`  ${prefix}.name = ${show(part.name)}: ${entry.doc}`, ...fieldLines(prefix, entry.fields, part)];
}

/** The preset's config paths, every default filled in, as `--set path=value` takes them. */
export function configPathLines(preset: Preset): string[] {
  const c = validateConfig(preset.config);
  return [
    `${preset.name}: ${preset.description}`,
    `Config paths (learnability run ${preset.name} --set path=value):`,
    ...partLines('task', c.task, TASKS),
    ...partLines('model', c.model, MODELS),
    ...partLines('trainer', c.trainer, TRAINERS),
    ...c.learners.flatMap((l, i) => partLines(`learners.${i}`, l, LEARNERS)),
    ...fieldLines('run', RUN_FIELDS, { ...c.run }),
    `  backend = ${show(c.backend)}  auto | cpu | wasm | webgpu`,
  ];
}
