import { ConfigError } from '@learnability/core';
import type { ConfigIssue, PartConfig, RunConfig, RunOptions } from '@learnability/core';
import { RUN_DEFAULTS } from '@learnability/experiment';
import { LEARNERS, MODELS, TASKS, TRAINERS } from './parts.js';
import type { PartEntry } from './parts.js';
import { unknownKeyMessage, validateFields } from './schema.js';
import type { FieldSpecs, FieldValue } from './schema.js';

/** Backends a config may name (set up by `@learnability/backends`). */
export const BACKEND_NAMES = ['auto', 'cpu', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** A validated config: every option present, every default filled. */
export interface ResolvedConfig extends RunConfig {
  backend: BackendName;
  learners: PartConfig[];
}

export const RUN_FIELDS: FieldSpecs = {
  steps: { type: 'int', default: RUN_DEFAULTS.steps, min: 0, doc: 'training steps (one batch per replica each)' },
  batchSize: { type: 'int', default: RUN_DEFAULTS.batchSize, min: 1, doc: 'examples per replica per step' },
  evalEvery: { type: 'int', default: RUN_DEFAULTS.evalEvery, min: 1, doc: 'evaluate every this many steps' },
  testSize: { type: 'int', default: RUN_DEFAULTS.testSize, min: 1, doc: 'size of the fixed, seeded test set' },
  seed: { type: 'int', default: RUN_DEFAULTS.seed, min: 0, max: 2 ** 31, doc: 'replica r uses seed + r' },
  replicas: {
    type: 'int',
    default: RUN_DEFAULTS.replicas,
    min: 1,
    max: 1024,
    doc: 'independent networks trained as one program',
  },
  trainSetSize: {
    type: 'int?',
    default: RUN_DEFAULTS.trainSetSize,
    min: 1,
    doc: 'null: fresh samples each step; N: a fixed training set of N examples',
  },
  shuffle: {
    type: 'bool',
    default: RUN_DEFAULTS.shuffle,
    doc: 'finite sets: true walks the set in a fresh seeded order each epoch; false draws batches with replacement',
  },
  learnedThreshold: {
    type: 'number',
    default: RUN_DEFAULTS.learnedThreshold,
    min: 0,
    exclusiveMin: true,
    max: 1,
    doc: 'test accuracy that counts as learned',
  },
  stopWhenLearned: {
    type: 'bool',
    default: RUN_DEFAULTS.stopWhenLearned,
    doc: 'stop once every replica and learner has learned',
  },
};

const TOP_KEYS = ['task', 'model', 'trainer', 'run', 'learners', 'backend', 'extends', 'description'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validatePart<T, C>(
  raw: unknown,
  path: string,
  registry: Record<string, PartEntry<T, C>>,
  issues: ConfigIssue[],
): PartConfig | null {
  if (!isObject(raw)) {
    issues.push({
      path,
      message: `expected an object like {"name": "${Object.keys(registry)[0]}"}, but got ${JSON.stringify(raw)}`,
    });
    return null;
  }
  const name = raw.name;
  const entry = typeof name === 'string' ? registry[name] : undefined;
  if (entry === undefined) {
    issues.push({ path: `${path}.name`, message: unknownKeyMessage(String(name), Object.keys(registry), 'name') });
    return null;
  }
  return { name: name as string, ...validateFields(raw, entry.fields, path, issues, ['name']) };
}

/**
 * Validates a raw config (parsed JSON, a preset, flags merged in). Unknown keys and wrong types
 * are errors; every problem is reported at once (ConfigError) as `path: message`.
 */
export function validateConfig(raw: unknown): ResolvedConfig {
  const issues: ConfigIssue[] = [];
  if (!isObject(raw))
    throw new ConfigError([{ path: '', message: `a config must be a JSON object, but got ${JSON.stringify(raw)}` }]);
  for (const key of Object.keys(raw))
    if (!TOP_KEYS.includes(key)) issues.push({ path: key, message: unknownKeyMessage(key, TOP_KEYS, 'key') });
  const task = validatePart(raw.task, 'task', TASKS, issues);
  const hasModel = raw.model !== undefined || raw.trainer !== undefined;
  const model = hasModel ? validatePart(raw.model, 'model', MODELS, issues) : null;
  const trainer = hasModel ? validatePart(raw.trainer, 'trainer', TRAINERS, issues) : null;
  const runRaw = raw.run ?? {};
  const run = isObject(runRaw) ? validateFields(runRaw, RUN_FIELDS, 'run', issues) : null;
  if (!isObject(runRaw)) issues.push({ path: 'run', message: `expected an object, but got ${JSON.stringify(runRaw)}` });
  const learnersRaw = raw.learners ?? [];
  const learners: PartConfig[] = [];
  if (!Array.isArray(learnersRaw))
    issues.push({
      path: 'learners',
      message: `expected a list like [{"name": "gf2-elimination"}], but got ${JSON.stringify(learnersRaw)}`,
    });
  else
    learnersRaw.forEach((l, i) => {
      const part = validatePart(l, `learners[${i}]`, LEARNERS, issues);
      if (part) learners.push(part);
    });
  const backend = raw.backend ?? 'auto';
  if (!BACKEND_NAMES.includes(backend as BackendName)) {
    issues.push({
      path: 'backend',
      message: `expected one of ${BACKEND_NAMES.map((b) => `"${b}"`).join(', ')}, but got ${JSON.stringify(backend)}`,
    });
  }
  if (!hasModel && learners.length === 0)
    issues.push({ path: 'model', message: 'a run needs a model and trainer, or at least one learner' });
  if (run && run.trainSetSize !== null && (run.batchSize as number) > (run.trainSetSize as number)) {
    issues.push({
      path: 'run.batchSize',
      message: `must be ≤ run.trainSetSize (${String(run.trainSetSize)}), but got ${String(run.batchSize)}`,
    });
  }
  if (run && run.shuffle === true && run.trainSetSize === null) {
    issues.push({
      path: 'run.shuffle',
      message: 'needs a finite training set: set run.trainSetSize too (online runs see every sample once anyway)',
    });
  }
  if (issues.length > 0 || task === null || run === null) throw new ConfigError(issues);
  return {
    task,
    ...(model && trainer ? { model, trainer } : {}),
    run: toRunOptions(run),
    learners,
    backend: backend as BackendName,
  };
}

/** Typed run options from validated field values. */
function toRunOptions(v: Record<string, FieldValue>): RunOptions {
  return {
    steps: v.steps as number,
    batchSize: v.batchSize as number,
    evalEvery: v.evalEvery as number,
    testSize: v.testSize as number,
    seed: v.seed as number,
    replicas: v.replicas as number,
    trainSetSize: v.trainSetSize as number | null,
    shuffle: v.shuffle as boolean,
    learnedThreshold: v.learnedThreshold as number,
    stopWhenLearned: v.stopWhenLearned as boolean,
  };
}
