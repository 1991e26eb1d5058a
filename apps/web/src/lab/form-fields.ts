/**
 * The lab's form, read from the schema the CLI validates with (`@learnability/presets`): each leaf
 * of the config gets the field spec that checks it — an enum becomes a dropdown, an int or number
 * a numeric input with the spec's range — and each part (task, model, trainer, run) also lists the
 * options the config leaves at their defaults, so every option of a part is one click away.
 */
import { LEARNERS, MODELS, RUN_FIELDS, TASKS, TRAINERS, applyOverrides } from '@learnability/presets';
import type { FieldSpec, FieldSpecs } from '@learnability/core';
import { configFields, formatPath, isObject, parsePath } from './config-paths.js';
import type { ConfigField, Json } from './config-paths.js';

/** One row of the form: a config leaf (or an option left at its default) and its spec. */
export interface FormField extends ConfigField {
  /** The spec that validates this leaf; null for keys the schema does not know. */
  spec: FieldSpec | null;
  /** False for an option the config leaves out (the row shows the spec's default). */
  present: boolean;
}

interface Registry {
  [name: string]: { doc: string; fields: FieldSpecs };
}

/** Parts named by a `name` key, by the path of their object: `task`, `learners[0]`, … */
function registryFor(partPath: string): Registry | null {
  if (partPath === 'task') return TASKS;
  if (partPath === 'model') return MODELS;
  if (partPath === 'trainer') return TRAINERS;
  if (/^learners\[\d+\]$/.test(partPath)) return LEARNERS;
  return null;
}

function valueAt(config: Json, segments: readonly (string | number)[]): unknown {
  let node: unknown = config;
  for (const s of segments)
    node = isObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[s] : undefined;
  return node;
}

/** The options of the part at `partPath` (`run` included), or null when it names no known part. */
function partSpecs(config: Json, partPath: string): FieldSpecs | null {
  if (partPath === 'run') return RUN_FIELDS;
  const registry = registryFor(partPath);
  const part = valueAt(config, parsePath(partPath));
  const entry = registry && isObject(part) && typeof part['name'] === 'string' ? registry[part['name']] : undefined;
  return entry?.fields ?? null;
}

/** The spec that validates the leaf at `path` of `config`, or null. `task.name` is an enum of the task names. */
export function specAt(config: Json, path: string): FieldSpec | null {
  const segments = parsePath(path);
  const key = segments[segments.length - 1];
  if (typeof key !== 'string' || segments.length < 2) return null;
  const partPath = formatPath(segments.slice(0, -1));
  const registry = registryFor(partPath);
  if (key === 'name' && registry) {
    const names = Object.keys(registry);
    return { type: 'enum', values: names, default: names[0] ?? '', doc: 'which one; the fields below are its options' };
  }
  return partSpecs(config, partPath)?.[key] ?? null;
}

const kindOf = (spec: FieldSpec): ConfigField['kind'] =>
  spec.type === 'int' || spec.type === 'number'
    ? 'number'
    : spec.type === 'bool'
      ? 'boolean'
      : spec.type === 'enum'
        ? 'string'
        : 'json';

/** The part a leaf belongs to: `task.n` → `task`, `learners[0].name` → `learners[0]`. */
const partOf = (path: string): string => formatPath(parsePath(path).slice(0, -1));

/**
 * The config's leaves in order, each with its spec, and after the last leaf of each part the
 * options it leaves out (at their defaults). `run` is listed even when the config has none.
 */
export function formFields(config: Json): FormField[] {
  const present = configFields(config).map((f): FormField => ({ ...f, spec: specAt(config, f.path), present: true }));
  const parts = [...new Set(present.map((f) => partOf(f.path)))];
  if (!parts.includes('run') && isObject(config['task'])) parts.push('run');
  const out: FormField[] = [];
  for (const part of parts) {
    out.push(...present.filter((f) => partOf(f.path) === part));
    const specs = part === '' ? null : partSpecs(config, part);
    if (!specs) continue;
    const have = new Set(present.filter((f) => partOf(f.path) === part).map((f) => f.path));
    for (const [key, spec] of Object.entries(specs)) {
      const path = `${part}.${key}`;
      if (!have.has(path)) out.push({ path, value: spec.default, kind: kindOf(spec), spec, present: false });
    }
  }
  return out;
}

/**
 * A new part name at `path` (`model.name`): the part keeps the options the new one also has and
 * drops the rest, which would be unknown keys (presets' `applyOverrides`, the rule `--set
 * model.name=…` follows). Any other path: null (an ordinary edit).
 */
export function renamePart(config: Json, path: string, name: string): Json | null {
  const segments = parsePath(path);
  if (segments[segments.length - 1] !== 'name') return null;
  const entry = registryFor(formatPath(segments.slice(0, -1)))?.[name];
  if (!entry || !isObject(valueAt(config, segments.slice(0, -1)))) return null;
  return applyOverrides(config, [`${segments.join('.')}=${JSON.stringify(name)}`]);
}

/** Attributes of a numeric input for `spec`: min, max and step (1 for integers). */
export function numberAttributes(spec: FieldSpec | null): { min?: string; max?: string; step: string } {
  if (spec?.type !== 'int' && spec?.type !== 'number') return { step: 'any' };
  return {
    ...(spec.min !== undefined ? { min: String(spec.min) } : {}),
    ...(spec.max !== undefined ? { max: String(spec.max) } : {}),
    step: spec.type === 'int' ? '1' : 'any',
  };
}

/** The hint beside a field: the spec's doc, its unit and range, its default and why it is that. */
export function fieldHint(spec: FieldSpec | null): string {
  if (!spec) return '';
  const max = 'max' in spec ? spec.max : undefined;
  // An excluded minimum (a learning rate) read "0 … ∞", and 0 was then refused.
  const range =
    'exclusiveMin' in spec && spec.exclusiveMin && spec.min !== undefined
      ? ` (> ${spec.min}${max !== undefined ? `, ≤ ${max}` : ''})`
      : 'min' in spec || 'max' in spec
        ? ` (${spec.min ?? '−∞'} … ${max ?? '∞'})`
        : '';
  const unit = spec.unit ? ` [${spec.unit}]` : '';
  return `${spec.doc}${unit}${range}; default ${JSON.stringify(spec.default)}${spec.why ? `: ${spec.why}` : ''}`;
}
