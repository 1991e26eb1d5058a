/**
 * Every task, model, trainer and stream learner by name: its options (schema) and how to build
 * it. Later packages add their entries here; this is the one place that knows them all.
 */
import type { Model, StreamLearner, Task, Trainer } from '@learnability/core';
import { ACTIVATIONS, createDense, DENSE_DEFAULTS } from '@learnability/dense';
import type { BiasInit, DenseInit, Parameterization } from '@learnability/dense';
import { createEliminationLearner, createSparseParityTask, SPARSE_PARITY_DEFAULTS } from '@learnability/parity';
import type { ParityEncoding, SparseParityTask } from '@learnability/parity';
import {
  ADAM_DEFAULTS,
  createAdam,
  createNoisyGd,
  createSgd,
  LOSSES,
  NOISY_GD_DEFAULTS,
  SGD_DEFAULTS,
} from '@learnability/sgd';
import type { FieldCheck, FieldSpec, FieldSpecs, Options, TaskShape } from './schema.js';
import { num, nums, oneOf } from './field-values.js';
import { ALIGN_MODELS, ALIGN_TASKS, ALIGN_TRAINERS } from './parts/align.js';
import { LOOPED_MODELS, LOOPED_TASKS, LOOPED_TRAINERS } from './parts/looped.js';
import { RCNN_MODELS } from './parts/rcnn.js';
import { INAL_TASKS } from './parts/inal.js';
import { adamFields, kAtMostN, labelNoiseField, takesLayouts } from './parts/shared.js';

export interface PartEntry<T, Ctx> {
  doc: string;
  fields: FieldSpecs;
  /** Rules across this part's fields, as data (STYLE.md rule 3: every error at once). */
  checks?: readonly FieldCheck[];
  /** Rules against the task (models, learners); they run when the task itself is valid. */
  taskChecks?: readonly FieldCheck<TaskShape>[];
  /** Rules against the model's name (trainers that train some models only). */
  modelChecks?: readonly FieldCheck<string>[];
  create(options: Options, ctx: Ctx): T;
}

/** A task entry also says, from its options alone, what the built task will look like. */
export interface TaskEntry extends PartEntry<Task, Record<string, never>> {
  shape(options: Options): TaskShape;
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

function isSparseParity(task: Task): task is SparseParityTask {
  return task.name === 'sparse-parity' && 'subset' in task && 'encoding' in task;
}
const ENCODINGS: readonly ParityEncoding[] = ['pm1', '01'];
const PARAMETERIZATIONS: readonly Parameterization[] = ['standard', 'ntk'];
const DENSE_INITS: readonly DenseInit[] = ['gaussian', 'torch-linear'];
const BIAS_INITS: readonly BiasInit[] = ['zero', 'fan-in', 'unit'];

export const TASKS: Record<string, TaskEntry> = {
  'sparse-parity': {
    doc: 'x uniform on {±1}^n, y = product of the k hidden bits (k = n: full parity); label noise η (Barak et al. 2022)',
    fields: {
      n: { type: 'int', default: 50, min: 1, max: 1 << 20, doc: 'input bits' },
      k: { type: 'int', default: 3, min: 0, doc: 'parity degree |S| (k = n: full parity)' },
      noise: labelNoiseField(SPARSE_PARITY_DEFAULTS.noise),
      encoding: {
        type: 'enum',
        values: ENCODINGS,
        default: SPARSE_PARITY_DEFAULTS.encoding,
        doc: 'input encoding: ±1 or 0/1',
      },
      seed: { type: 'int', default: SPARSE_PARITY_DEFAULTS.seed, min: 0, doc: 'seed of the hidden subset S' },
    },
    checks: [kAtMostN],
    shape: (o) => ({ name: 'sparse-parity', layout: 'vector', inputShape: [num(o, 'n')], outputSize: 1 }),
    create: (o) =>
      createSparseParityTask({
        n: num(o, 'n'),
        k: num(o, 'k'),
        noise: num(o, 'noise'),
        encoding: oneOf(o, 'encoding', ENCODINGS),
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
      widths: { type: 'int[]', default: [...DENSE_DEFAULTS.widths], min: 1, doc: 'hidden layer widths' },
      activation: {
        type: 'enum',
        values: ACTIVATIONS,
        default: DENSE_DEFAULTS.activation,
        doc: 'hidden nonlinearity (poly: Σ_{j≤degree} x^j/j!)',
      },
      degree: { type: 'int', default: DENSE_DEFAULTS.degree, min: 1, max: 12, doc: 'degree of the poly activation' },
      parameterization: {
        type: 'enum',
        values: PARAMETERIZATIONS,
        default: DENSE_DEFAULTS.parameterization,
        doc: 'standard: W~N(0,1/fan_in); ntk: W~N(0,1), output /√fan_in',
      },
      init: {
        type: 'enum',
        values: DENSE_INITS,
        default: DENSE_DEFAULTS.init,
        doc: "gaussian: W~N(0,1/fan_in), biases per `bias`; torch-linear: W and b ~U(±1/√fan_in), PyTorch nn.Linear's default (standard parameterization only)",
      },
      bias: {
        type: 'enum',
        values: BIAS_INITS,
        default: DENSE_DEFAULTS.bias,
        doc: 'bias init under init gaussian: 0, N(0,1/fan_in) or N(0,1)',
      },
    },
    checks: [
      {
        paths: ['init', 'parameterization'],
        test: (o) => o.init === 'gaussian' || o.parameterization === 'standard',
        message: () => '"torch-linear" needs parameterization "standard"; the NTK parameterisation keeps W ~ N(0, 1)',
      },
      {
        paths: ['bias', 'init'],
        test: (o) => o.init === 'gaussian' || o.bias === 'zero',
        message: (o) => `"${String(o.bias)}" applies to init "gaussian" only; drop bias or use init "gaussian"`,
      },
    ],
    taskChecks: [takesLayouts('dense', ['vector'])],
    create: (o, { task, replicas }) =>
      createDense({
        inputSize: task.inputShape.reduce((a, b) => a * b, 1),
        outputSize: task.outputSize,
        widths: nums(o, 'widths'),
        activation: oneOf(o, 'activation', ACTIVATIONS),
        degree: num(o, 'degree'),
        parameterization: oneOf(o, 'parameterization', PARAMETERIZATIONS),
        init: oneOf(o, 'init', DENSE_INITS),
        bias: oneOf(o, 'bias', BIAS_INITS),
        replicas,
      }),
  },
  ...ALIGN_MODELS,
  ...LOOPED_MODELS,
  ...RCNN_MODELS,
};

const loss = (fallback: string): FieldSpec => ({
  type: 'enum',
  values: LOSSES,
  default: fallback,
  doc: 'training loss',
});

export const TRAINERS: Record<string, PartEntry<Trainer, TrainerContext>> = {
  sgd: {
    doc: 'stochastic gradient descent with momentum and coupled weight decay (PyTorch form)',
    fields: {
      lr: { type: 'number', default: SGD_DEFAULTS.lr, min: 0, exclusiveMin: true, doc: 'learning rate' },
      momentum: { type: 'number', default: SGD_DEFAULTS.momentum, min: 0, max: 0.999, doc: 'heavy-ball momentum' },
      weightDecay: {
        type: 'number',
        default: SGD_DEFAULTS.weightDecay,
        min: 0,
        doc: 'L2 weight decay added to the gradient',
      },
      loss: loss(SGD_DEFAULTS.loss),
    },
    create: (o) =>
      createSgd({
        lr: num(o, 'lr'),
        momentum: num(o, 'momentum'),
        weightDecay: num(o, 'weightDecay'),
        loss: oneOf(o, 'loss', LOSSES),
      }),
  },
  adam: {
    doc: 'Adam with bias correction (AdamW when weightDecay > 0)',
    fields: {
      ...adamFields(ADAM_DEFAULTS),
      loss: loss(ADAM_DEFAULTS.loss),
    },
    create: (o) =>
      createAdam({
        lr: num(o, 'lr'),
        beta1: num(o, 'beta1'),
        beta2: num(o, 'beta2'),
        epsilon: num(o, 'epsilon'),
        weightDecay: num(o, 'weightDecay'),
        loss: oneOf(o, 'loss', LOSSES),
      }),
  },
  'noisy-gd': {
    doc: 'noisy clipped GD θ ← θ − γ([∇L]_A + N(0, τ²)) (Abbe & Sandon 2020); full batch when run.batchSize = run.trainSetSize',
    fields: {
      lr: { type: 'number', default: NOISY_GD_DEFAULTS.lr, min: 0, exclusiveMin: true, doc: 'step size γ' },
      clip: {
        type: 'number',
        default: NOISY_GD_DEFAULTS.clip,
        min: 0,
        exclusiveMin: true,
        doc: 'gradient range A (per coordinate)',
      },
      noise: { type: 'number', default: NOISY_GD_DEFAULTS.noise, min: 0, doc: 'noise standard deviation τ' },
      loss: loss(NOISY_GD_DEFAULTS.loss),
    },
    create: (o, { seed }) =>
      createNoisyGd({
        lr: num(o, 'lr'),
        clip: num(o, 'clip'),
        noise: num(o, 'noise'),
        loss: oneOf(o, 'loss', LOSSES),
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
