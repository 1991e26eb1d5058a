/**
 * Every task, model, trainer and stream learner by name: its options (schema) and how to build
 * it. Later packages add their entries here; this is the one place that knows them all.
 */
import type { Model, StreamLearner, Task, Trainer } from '@learnability/core';
import { createDense, DENSE_SCHEMA } from '@learnability/dense';
import { createEliminationLearner, createSparseParityTask, SPARSE_PARITY_SCHEMA } from '@learnability/parity';
import type { SparseParityTask } from '@learnability/parity';
import { ADAM_SCHEMA, createAdam, createNoisyGd, createSgd, NOISY_GD_SCHEMA, SGD_SCHEMA } from '@learnability/sgd';
import { part, taskPart } from './part-entry.js';
import type { PartEntry, TaskEntry } from './part-entry.js';
import { ALIGN_MODELS, ALIGN_TASKS, ALIGN_TRAINERS } from './parts/align.js';
import { LOOPED_MODELS, LOOPED_TASKS, LOOPED_TRAINERS } from './parts/looped.js';
import { RCNN_MODELS } from './parts/rcnn.js';
import { INAL_TASKS } from './parts/inal.js';
import { lossFitsTargets, takesLayouts } from './parts/shared.js';

/** What a model entry's `create` gets besides its options: the built task and the run's replicas. */
export interface ModelContext {
  task: Task;
  replicas: number;
}

/** What a trainer entry's `create` gets besides its options: the run's seed. */
export interface TrainerContext {
  seed: number;
}

/** What a stream learner entry's `create` gets besides its options: the built task. */
export interface LearnerContext {
  task: Task;
}

function isSparseParity(task: Task): task is SparseParityTask {
  return task.name === 'sparse-parity' && 'subset' in task && 'encoding' in task;
}

/** Every task, by the name in a config's `task.name`: its options, doc line, shape and constructor. */
export const TASKS: Record<string, TaskEntry> = {
  'sparse-parity': taskPart(SPARSE_PARITY_SCHEMA, {
    doc: 'x uniform on {±1}^n, y = product of the k hidden bits (k = n: full parity); label noise η (Barak et al. 2022)',
    shape: (o) => ({ name: 'sparse-parity', layout: 'vector', inputShape: [o.n], outputSize: 1, outputKind: 'sign' }),
    create: (o) => createSparseParityTask(o),
  }),
  ...ALIGN_TASKS,
  ...LOOPED_TASKS,
  ...INAL_TASKS,
};

/** Every model, by the name in a config's `model.name`: its options, doc line, rules and constructor. */
export const MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  dense: part(DENSE_SCHEMA, {
    doc: 'MLP with R replicas trained as one batched program; input and output sizes come from the task',
    taskChecks: [takesLayouts('dense', ['vector'])],
    create: (o, { task, replicas }) =>
      createDense({
        ...o,
        inputSize: task.inputShape.reduce((a, b) => a * b, 1),
        outputSize: task.outputSize,
        replicas,
      }),
  }),
  ...ALIGN_MODELS,
  ...LOOPED_MODELS,
  ...RCNN_MODELS,
};

/** Every trainer, by the name in a config's `trainer.name`: its options, doc line, rules, constructor. */
export const TRAINERS: Record<string, PartEntry<Trainer, TrainerContext>> = {
  sgd: part(SGD_SCHEMA, {
    doc: 'stochastic gradient descent with momentum and coupled weight decay (PyTorch form)',
    taskChecks: [lossFitsTargets],
    create: (o) => createSgd(o),
  }),
  adam: part(ADAM_SCHEMA, {
    doc: 'Adam with bias correction (AdamW when weightDecay > 0)',
    taskChecks: [lossFitsTargets],
    create: (o) => createAdam(o),
  }),
  'noisy-gd': part(NOISY_GD_SCHEMA, {
    doc: 'noisy clipped GD θ ← θ − γ([∇L]_A + N(0, τ²)) (Abbe & Sandon 2020); full batch when run.batchSize = run.trainSetSize',
    taskChecks: [lossFitsTargets],
    create: (o, { seed }) => createNoisyGd({ ...o, seed }),
  }),
  ...ALIGN_TRAINERS,
  ...LOOPED_TRAINERS,
};

/** Every stream learner, by the name in a config's `learners[i].name`: its doc line, rules, constructor. */
export const LEARNERS: Record<string, PartEntry<StreamLearner, LearnerContext>> = {
  'gf2-elimination': {
    doc: 'bit-packed Gaussian elimination over GF(2) on the same sample stream (parity tasks only)',
    fields: {},
    taskChecks: [
      {
        paths: [''],
        test: (_o, task) => task.name === 'sparse-parity',
        message: (_o, task) => `learner "gf2-elimination" needs a sparse-parity task, but the task is "${task.name}"`,
      },
    ],
    create: (_o, { task }) => {
      if (!isSparseParity(task))
        throw new Error(`learner "gf2-elimination" needs a sparse-parity task, but the task is "${task.name}"`);
      return createEliminationLearner({ n: task.n, encoding: task.encoding });
    },
  },
};
