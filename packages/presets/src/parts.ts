/**
 * Every task, model, trainer and stream learner by name: its options (schema) and how to build
 * it. Later packages add their entries here; this is the one place that knows them all.
 */
import type { Model, StreamLearner, Task, Trainer } from '@learnability/core';
import { ACTIVATIONS, createDense } from '@learnability/dense';
import type { Activation, BiasInit, DenseInit, Parameterization } from '@learnability/dense';
import { createEliminationLearner, createSparseParityTask } from '@learnability/parity';
import type { ParityEncoding, SparseParityTask } from '@learnability/parity';
import { createAdam, createNoisyGd, createSgd, LOSSES } from '@learnability/sgd';
import type { LossName } from '@learnability/sgd';
import type { FieldSpecs, FieldValue } from './schema.js';
import { ALIGN_MODELS, ALIGN_TASKS, ALIGN_TRAINERS } from './parts/align.js';
import { LOOPED_MODELS, LOOPED_TASKS, LOOPED_TRAINERS } from './parts/looped.js';
import { RCNN_MODELS } from './parts/rcnn.js';
import { INAL_TASKS } from './parts/inal.js';
import { LABEL_NOISE_FIELD } from './parts/label-noise.js';

type Options = Record<string, FieldValue>;

export interface PartEntry<T, Ctx> {
  doc: string;
  fields: FieldSpecs;
  create(options: Options, ctx: Ctx): T;
}

export interface ModelContext {
  task: Task;
  replicas: number;
}

export interface TrainerContext {
  seed: number;
}

export interface LearnerContext {
  task: Task;
}

const num = (o: Options, k: string) => o[k] as number;

function isSparseParity(task: Task): task is SparseParityTask {
  return task.name === 'sparse-parity' && 'subset' in task && 'encoding' in task;
}
const str = <T extends string>(o: Options, k: string) => o[k] as T;

export const TASKS: Record<string, PartEntry<Task, Record<string, never>>> = {
  'sparse-parity': {
    doc: 'x uniform on {±1}^n, y = product of the k hidden bits (k = n: full parity); label noise η (Barak et al. 2022)',
    fields: {
      n: { type: 'int', default: 50, min: 1, max: 1 << 20, doc: 'input bits' },
      k: { type: 'int', default: 3, min: 0, doc: 'parity degree |S| (k = n: full parity)' },
      noise: LABEL_NOISE_FIELD,
      encoding: { type: 'enum', values: ['pm1', '01'], default: 'pm1', doc: 'input encoding: ±1 or 0/1' },
      seed: { type: 'int', default: 0, min: 0, doc: 'seed of the hidden subset S' },
    },
    create: (o) =>
      createSparseParityTask({
        n: num(o, 'n'),
        k: num(o, 'k'),
        noise: num(o, 'noise'),
        encoding: str<ParityEncoding>(o, 'encoding'),
        seed: num(o, 'seed'),
      }),
  },
  ...ALIGN_TASKS,
  ...LOOPED_TASKS,
  ...INAL_TASKS,
};

export const MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  dense: {
    doc: 'MLP with R replicas trained as one batched program; input and output sizes come from the task',
    fields: {
      widths: { type: 'int[]', default: [1000], min: 1, doc: 'hidden layer widths' },
      activation: {
        type: 'enum',
        values: ACTIVATIONS,
        default: 'relu',
        doc: 'hidden nonlinearity (poly: Σ_{j≤degree} x^j/j!)',
      },
      degree: { type: 'int', default: 3, min: 1, max: 12, doc: 'degree of the poly activation' },
      parameterization: {
        type: 'enum',
        values: ['standard', 'ntk'],
        default: 'standard',
        doc: 'standard: W~N(0,1/fan_in); ntk: W~N(0,1), output /√fan_in',
      },
      init: {
        type: 'enum',
        values: ['gaussian', 'torch-linear'],
        default: 'gaussian',
        doc: "gaussian: W~N(0,1/fan_in), biases per `bias`; torch-linear: W and b ~U(±1/√fan_in), PyTorch nn.Linear's default (standard parameterization only)",
      },
      bias: {
        type: 'enum',
        values: ['zero', 'fan-in', 'unit'],
        default: 'zero',
        doc: 'bias init under init gaussian: 0, N(0,1/fan_in) or N(0,1)',
      },
    },
    create: (o, { task, replicas }) =>
      createDense({
        inputSize: task.inputShape.reduce((a, b) => a * b, 1),
        outputSize: task.outputSize,
        widths: o.widths as number[],
        activation: str<Activation>(o, 'activation'),
        degree: num(o, 'degree'),
        parameterization: str<Parameterization>(o, 'parameterization'),
        init: str<DenseInit>(o, 'init'),
        bias: str<BiasInit>(o, 'bias'),
        replicas,
      }),
  },
  ...ALIGN_MODELS,
  ...LOOPED_MODELS,
  ...RCNN_MODELS,
};

const loss = (fallback: LossName) =>
  ({ type: 'enum', values: LOSSES, default: fallback, doc: 'training loss' }) as const;

export const TRAINERS: Record<string, PartEntry<Trainer, TrainerContext>> = {
  sgd: {
    doc: 'stochastic gradient descent with momentum and coupled weight decay (PyTorch form)',
    fields: {
      lr: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, doc: 'learning rate' },
      momentum: { type: 'number', default: 0, min: 0, max: 0.999, doc: 'heavy-ball momentum' },
      weightDecay: { type: 'number', default: 0, min: 0, doc: 'L2 weight decay added to the gradient' },
      loss: loss('hinge'),
    },
    create: (o) =>
      createSgd({
        lr: num(o, 'lr'),
        momentum: num(o, 'momentum'),
        weightDecay: num(o, 'weightDecay'),
        loss: str<LossName>(o, 'loss'),
      }),
  },
  adam: {
    doc: 'Adam with bias correction (AdamW when weightDecay > 0)',
    fields: {
      lr: { type: 'number', default: 1e-3, min: 0, exclusiveMin: true, doc: 'learning rate' },
      beta1: { type: 'number', default: 0.9, min: 0, max: 0.9999, doc: 'first-moment decay' },
      beta2: { type: 'number', default: 0.999, min: 0, max: 0.99999, doc: 'second-moment decay' },
      epsilon: { type: 'number', default: 1e-8, min: 0, exclusiveMin: true, doc: 'added to √v̂' },
      weightDecay: { type: 'number', default: 0, min: 0, doc: 'decoupled weight decay' },
      loss: loss('mse'),
    },
    create: (o) =>
      createAdam({
        lr: num(o, 'lr'),
        beta1: num(o, 'beta1'),
        beta2: num(o, 'beta2'),
        epsilon: num(o, 'epsilon'),
        weightDecay: num(o, 'weightDecay'),
        loss: str<LossName>(o, 'loss'),
      }),
  },
  'noisy-gd': {
    doc: 'noisy clipped GD θ ← θ − γ([∇L]_A + N(0, τ²)) (Abbe & Sandon 2020); full batch when run.batchSize = run.trainSetSize',
    fields: {
      lr: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, doc: 'step size γ' },
      clip: { type: 'number', default: 1, min: 0, exclusiveMin: true, doc: 'gradient range A (per coordinate)' },
      noise: { type: 'number', default: 0.01, min: 0, doc: 'noise standard deviation τ' },
      loss: loss('hinge'),
    },
    create: (o, { seed }) =>
      createNoisyGd({
        lr: num(o, 'lr'),
        clip: num(o, 'clip'),
        noise: num(o, 'noise'),
        loss: str<LossName>(o, 'loss'),
        seed,
      }),
  },
  ...ALIGN_TRAINERS,
  ...LOOPED_TRAINERS,
};

export const LEARNERS: Record<string, PartEntry<StreamLearner, LearnerContext>> = {
  'gf2-elimination': {
    doc: 'bit-packed Gaussian elimination over GF(2) on the same sample stream (parity tasks only)',
    fields: {},
    create: (_o, { task }) => {
      if (!isSparseParity(task))
        throw new Error(`learner "gf2-elimination" needs a sparse-parity task, but the task is "${task.name}"`);
      return createEliminationLearner({ n: task.n, encoding: task.encoding });
    },
  },
};
