import type { Model, RunOptions, StreamLearner, Task, Trainer } from '@learnability/core';
import type { ExperimentParts } from '@learnability/experiment';
import { LEARNERS, MODELS, TASKS, TRAINERS } from './parts.js';
import { optionsOf } from './validate.js';
import type { ResolvedConfig } from './validate.js';

/** The parts a validated config names, built and ready for `runExperiment`. */
export interface ResolvedRun extends ExperimentParts {
  config: ResolvedConfig;
  options: RunOptions;
}

/** Turns a validated config into a task, model, trainer and learners (DESIGN.md, "How data flows"). */
export function resolve(config: ResolvedConfig): ResolvedRun {
  const taskEntry = TASKS[config.task.name];
  if (!taskEntry) throw new Error(`unknown task "${config.task.name}"`);
  const task: Task = taskEntry.create(optionsOf(config.task), {});
  let model: Model | undefined;
  let trainer: Trainer | undefined;
  if (config.model && config.trainer) {
    const m = MODELS[config.model.name];
    const t = TRAINERS[config.trainer.name];
    if (!m || !t) throw new Error(`unknown model "${config.model.name}" or trainer "${config.trainer.name}"`);
    model = m.create(optionsOf(config.model), { task, replicas: config.run.replicas });
    trainer = t.create(optionsOf(config.trainer), { seed: config.run.seed });
  }
  const learners: StreamLearner[] = config.learners.map((l) => {
    const entry = LEARNERS[l.name];
    if (!entry) throw new Error(`unknown learner "${l.name}"`);
    return entry.create(optionsOf(l), { task });
  });
  return { config, options: config.run, task, ...(model && trainer ? { model, trainer } : {}), learners };
}
