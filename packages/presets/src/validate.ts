import { ConfigError } from '@learnability/core';
import type { ConfigIssue, PartConfig, RunConfig } from '@learnability/core';
import { resolveRunOptions, RUN_SCHEMA } from '@learnability/experiment';
import { LEARNERS, MODELS, TASKS, TRAINERS } from './parts.js';
import { isObject } from './overrides.js';
import type { PartEntry } from './part-entry.js';
import { isFieldValue, runChecks, showValue, unknownKeyMessage, validateFields } from '@learnability/core';
import type { FieldCheck, FieldValue, Options } from '@learnability/core';
import type { TaskShape } from './schema.js';
import { expandExtends, ownEntry, SETTABLE_KEYS } from './overrides.js';

/**
 * Backends a config may name: `@learnability/backends`'s `BACKEND_REQUESTS`, which sets them up
 * (restated so that presets needs no import of it at run time; a test keeps the two equal).
 */
export const BACKEND_REQUESTS = ['auto', 'cpu', 'wasm', 'webgpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

/** A validated config: every option present, every default filled. */
export interface ResolvedConfig extends RunConfig {
  backend: BackendRequest;
  learners: PartConfig[];
}

/** The run options' fields (owned by `@learnability/experiment`, whose `runExperiment` reads them). */
export const RUN_FIELDS = RUN_SCHEMA.fields;

const TOP_KEYS = [...SETTABLE_KEYS, 'extends', 'description'];

/**
 * Validates one part (`{"name": …, …options}`) at `path`: its fields, then its checks, then its
 * checks against the task and the model named in `against`, where known. Null when it has any issue.
 */
export function validatePart<T, C>(
  raw: unknown,
  path: string,
  registry: Record<string, PartEntry<T, C>>,
  issues: ConfigIssue[],
  against: { task?: TaskShape | null; model?: string | null } = {},
): PartConfig | null {
  if (!isObject(raw)) {
    issues.push({
      path,
      message: `${raw === undefined ? 'missing: expected' : 'expected'} an object like {"name": "${Object.keys(registry)[0]}"}${raw === undefined ? '' : `, but got ${JSON.stringify(raw)}`}`,
    });
    return null;
  }
  if (raw.name === undefined) {
    issues.push({
      path: `${path}.name`,
      message: `missing: expected one of ${Object.keys(registry).join(', ')} (a config names its parts, or extends a preset that does)`,
    });
    return null;
  }
  // Not String()-ed: ["dense"] read as "dense", and a name of another type reached the registry.
  if (typeof raw.name !== 'string') {
    issues.push({
      path: `${path}.name`,
      message: `expected a string, one of ${Object.keys(registry).join(', ')}, but got ${showValue(raw.name)}`,
    });
    return null;
  }
  const { name } = raw;
  const entry = ownEntry(registry, name);
  if (entry === undefined) {
    issues.push({ path: `${path}.name`, message: unknownKeyMessage(name, Object.keys(registry), 'name') });
    return null;
  }
  const before = issues.length;
  const options = validateFields(raw, entry.fields, path, issues, ['name']);
  runChecks(entry.checks, options, path, issues, undefined);
  if (against.task) runChecks(entry.taskChecks, options, path, issues, against.task);
  if (against.model) runChecks(entry.modelChecks, options, path, issues, against.model);
  return issues.length === before ? { name, ...options } : null;
}

/**
 * Validates a raw config (parsed JSON, a preset, flags merged in), its `extends` expanded first.
 * Unknown keys and wrong types are errors; every problem is reported at once (ConfigError) as
 * `path: message`.
 */
export function validateConfig(given: unknown): ResolvedConfig {
  // `extends` was accepted and never expanded here: a config of only overrides failed on its parts.
  const raw = expandExtends(given);
  const issues: ConfigIssue[] = [];
  if (!isObject(raw))
    throw new ConfigError([{ path: '', message: `a config must be a JSON object, but got ${JSON.stringify(raw)}` }]);
  for (const key of Object.keys(raw))
    if (!TOP_KEYS.includes(key)) issues.push({ path: key, message: unknownKeyMessage(key, TOP_KEYS, 'key') });
  const task = validatePart(raw.task, 'task', TASKS, issues);
  const shape = task ? (TASKS[task.name]?.shape(optionsOf(task)) ?? null) : null;
  const hasModel = raw.model !== undefined || raw.trainer !== undefined;
  const model = hasModel ? validatePart(raw.model, 'model', MODELS, issues, { task: shape }) : null;
  const modelName = isObject(raw.model) && typeof raw.model.name === 'string' ? raw.model.name : null;
  const trainer = hasModel
    ? validatePart(raw.trainer, 'trainer', TRAINERS, issues, {
        task: shape,
        model: modelName && ownEntry(MODELS, modelName) ? modelName : null,
      })
    : null;
  // Left out means the defaults; null is a value, and not an object (it used to mean the defaults too).
  const runRaw = raw.run === undefined ? {} : raw.run;
  const run = isObject(runRaw) ? validateFields(runRaw, RUN_FIELDS, 'run', issues) : null;
  if (run) runChecks(RUN_SCHEMA.checks as readonly FieldCheck[], run, 'run', issues, undefined);
  if (!isObject(runRaw))
    issues.push({
      path: 'run',
      message: `expected an object like {"steps": 1000}, or no run key for the defaults, but got ${JSON.stringify(runRaw)}`,
    });
  const learnersRaw = raw.learners === undefined ? [] : raw.learners;
  const learners: PartConfig[] = [];
  if (!Array.isArray(learnersRaw))
    issues.push({
      path: 'learners',
      message: `expected a list like [{"name": "gf2-elimination"}], but got ${JSON.stringify(learnersRaw)}`,
    });
  else
    learnersRaw.forEach((l, i) => {
      const part = validatePart(l, `learners[${i}]`, LEARNERS, issues, { task: shape });
      if (!part) return;
      // A run keeps each learner's verdict and state by its name: a second of one kind shared the first's.
      if (learners.some((other) => other.name === part.name))
        issues.push({ path: `learners[${i}]`, message: `"${part.name}" is listed twice; list each learner once` });
      learners.push(part);
    });
  const backend = BACKEND_REQUESTS.find((b) => b === (raw.backend === undefined ? 'auto' : raw.backend));
  if (backend === undefined) {
    issues.push({
      path: 'backend',
      message: `expected one of ${BACKEND_REQUESTS.map((b) => `"${b}"`).join(', ')}, but got ${JSON.stringify(raw.backend)}`,
    });
  }
  if (!hasModel && (!Array.isArray(learnersRaw) || learnersRaw.length === 0))
    issues.push({ path: 'model', message: 'a run needs a model and trainer, or at least one learner' });
  // Replicas are copies of the network; stream learners read one stream once, whatever the count.
  if (!hasModel && run?.replicas !== undefined && run.replicas !== 1)
    issues.push({
      path: 'run.replicas',
      message: `copies the network, but this run has none (learners only, each run once), so ${run.replicas} would change nothing; drop run.replicas or add a model and trainer`,
    });
  if (task && run) issues.push(...poolIssues(task, run));
  if (issues.length > 0 || task === null || run === null || backend === undefined) throw new ConfigError(issues);
  return {
    task,
    ...(model && trainer ? { model, trainer } : {}),
    run: resolveRunOptions(run),
    learners,
    backend,
  };
}

/**
 * A task over a finite dataset cannot give more distinct examples than its pools hold: a larger
 * test set or fixed training set would repeat examples (MNIST draws with replacement past its pool).
 */
function poolIssues(task: PartConfig, run: Record<string, unknown>): ConfigIssue[] {
  const pools = TASKS[task.name]?.pools?.(optionsOf(task));
  if (!pools) return [];
  const { testSize = RUN_FIELDS.testSize.default, trainSetSize = null } = run as {
    testSize?: number;
    trainSetSize?: number | null;
  };
  return [
    ...(testSize > pools.test
      ? [
          {
            path: 'run.testSize',
            message: `a test set of ${testSize} needs as many distinct held-out examples, but task ${task.name} holds out ${pools.test}; lower run.testSize or raise task.testPool`,
          },
        ]
      : []),
    ...(trainSetSize !== null && trainSetSize > pools.train
      ? [
          {
            path: 'run.trainSetSize',
            message: `a training set of ${trainSetSize} needs as many distinct examples, but task ${task.name} trains from ${pools.train}; lower run.trainSetSize or task.testPool`,
          },
        ]
      : []),
  ];
}

/** A validated part's options (its fields without `name`). */
export function optionsOf(part: PartConfig): Options {
  const { name: _name, ...rest } = part;
  return Object.fromEntries(Object.entries(rest).filter((e): e is [string, FieldValue] => isFieldValue(e[1])));
}
