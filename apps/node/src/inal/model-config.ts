/**
 * The model an INAL measurement uses: a model name from the registry (`dense`), a preset's model
 * (`sparse-parity`), or a .json file (a run config with a `model`, or a model part itself), with
 * `--set key=value` overrides. Validated against the registry's fields, every problem at once.
 */
import { ConfigError } from '@learnability/core';
import { runChecks } from '@learnability/core';
import type { ConfigIssue, Model, Options, Task } from '@learnability/core';
import { applyOverrides, expandExtends, getPreset, MODELS, optionsOf, validatePart } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import { parseUserJson, readUserFile } from '../user-file.js';

/** A validated model part: its registry name and every option filled. */
export interface ModelChoice {
  name: string;
  options: Options;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function rawModel(source: string): Record<string, unknown> {
  if (Object.hasOwn(MODELS, source)) return { name: source };
  if (source.endsWith('.json') || source.includes('/')) {
    const text = readUserFile(`inal: --model: file "${source}"`, source, {
      directory: 'pass a .json file or a model name (dense)',
    });
    const json = parseUserJson(`inal: --model: file "${source}"`, text);
    let parsed: unknown;
    try {
      parsed = expandExtends(json);
    } catch (e) {
      throw new UsageError(
        `inal: --model: "${source}" is not a valid config (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const part = isObject(parsed) && isObject(parsed.model) ? parsed.model : parsed;
    if (!isObject(part))
      throw new UsageError(`inal: --model: "${source}" must hold {"name": "dense", …} or a run config with a "model"`);
    return part;
  }
  let model: unknown;
  try {
    model = getPreset(source).config.model;
  } catch {
    throw new UsageError(
      `inal: --model: "${source}" is neither a model (${Object.keys(MODELS).join(', ')}), a preset nor a .json file`,
    );
  }
  if (!isObject(model)) throw new UsageError(`inal: --model: preset "${source}" has no model`);
  return model;
}

/** Resolves `--model` and `--set` (keys with or without the `model.` prefix) into a validated model part. */
export function modelChoice(source: string, sets: readonly string[]): ModelChoice {
  // Checked as typed, before the `model.` prefix: an error then quotes what the user wrote.
  for (const s of sets)
    if (!/^[^=\s][^=]*=/.test(s.trim()))
      throw new UsageError(`inal: --set: expected key=value like widths=[256] or bias=fan-in, but got "${s}"`);
  const assignments = sets.map((s) => (s.startsWith('model.') ? s : `model.${s}`));
  // The flags refuse `widths=…` twice as typed; with and without the prefix it is one option too.
  const pathOf = (a: string) => a.slice(0, a.indexOf('=')).trim();
  for (const [i, a] of assignments.entries()) {
    const first = assignments.findIndex((b) => pathOf(b) === pathOf(a));
    if (first < i)
      throw new UsageError(`inal: --set: ${sets[first]} and ${sets[i]} set one option, ${pathOf(a)}; give it once`);
  }
  const raw = applyOverrides({ model: rawModel(source) }, assignments).model;
  const issues: ConfigIssue[] = [];
  const part = validatePart(raw, 'model', MODELS, issues);
  if (part === null) throw new ConfigError(issues);
  return { name: part.name, options: optionsOf(part) };
}

/** The model for `task` with `replicas` initialisations, once the model's checks against the task pass. */
export function buildModel(choice: ModelChoice, task: Task, replicas: number): Model {
  const entry = MODELS[choice.name];
  if (!entry) throw new UsageError(`unknown model "${choice.name}"`);
  const issues: ConfigIssue[] = [];
  runChecks(entry.taskChecks, choice.options, 'model', issues, task);
  if (issues.length) {
    // The model cannot take these inputs at all (not an option of it): name the ones that can, at
    // their defaults, which the check itself cannot.
    const whole = issues.findIndex((i) => i.path === 'model');
    if (whole >= 0) {
      const take = Object.keys(MODELS).filter((name) => {
        const own: ConfigIssue[] = [];
        validatePart({ name }, 'model', MODELS, own, { task });
        return name !== choice.name && own.length === 0;
      });
      const issue = issues[whole] as ConfigIssue;
      issues[whole] = { ...issue, message: `${issue.message}; models that take its inputs: ${take.join(', ')}` };
    }
    throw new ConfigError(issues);
  }
  return entry.create(choice.options, { task, replicas });
}
