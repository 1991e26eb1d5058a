import type { Model, RunOptions, StreamLearner, Task, Trainer } from '@learnability/core';
import type { ExperimentParts } from '@learnability/experiment';
import { LEARNERS, MODELS, TASKS, TRAINERS } from './parts.js';
import { optionsOf, validateConfig } from './validate.js';
import type { ResolvedConfig } from './validate.js';

/** The parts a config names, built and ready for `runExperiment`, with the validated config. */
export interface ResolvedRun extends ExperimentParts {
  config: ResolvedConfig;
  options: RunOptions;
}

/**
 * Turns a validated config into a task, model, trainer and learners.
 * The config is validated again here (validation is idempotent and cheap): from plain JS a raw
 * config reached the parts unchecked, and an option nested where none is read (`task.options.n`)
 * was dropped without a word.
 */
export function resolve(config: ResolvedConfig): ResolvedRun {
  const valid = validateConfig(config);
  const taskEntry = TASKS[valid.task.name];
  if (!taskEntry) throw new Error(`unknown task "${valid.task.name}"`);
  const task: Task = taskEntry.create(optionsOf(valid.task), {});
  let model: Model | undefined;
  let trainer: Trainer | undefined;
  if (valid.model && valid.trainer) {
    const m = MODELS[valid.model.name];
    const t = TRAINERS[valid.trainer.name];
    if (!m || !t) throw new Error(`unknown model "${valid.model.name}" or trainer "${valid.trainer.name}"`);
    model = m.create(optionsOf(valid.model), { task, replicas: valid.run.replicas });
    trainer = t.create(optionsOf(valid.trainer), { seed: valid.run.seed });
  }
  const learners: StreamLearner[] = valid.learners.map((l) => {
    const entry = LEARNERS[l.name];
    if (!entry) throw new Error(`unknown learner "${l.name}"`);
    return entry.create(optionsOf(l), { task });
  });
  return { config: valid, options: valid.run, task, ...(model && trainer ? { model, trainer } : {}), learners };
}
