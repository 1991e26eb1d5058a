/**
 * Presets for Abbe, Cornacchia, Hązła, Marquis 2022 (docs/papers.md §3): one noisy-GD run on each side
 * of the INAL split. The whole experiment (INAL and training over targets × n) is
 * `learnability run inal-learnability`, which starts from these and overrides the target and n.
 */
import type { Preset } from '../presets.js';

/** The theorem's setting: i.i.d. init with variance 1/fan-in, biases included; noisy clipped full-batch GD. */
const model = { name: 'dense', widths: [256], activation: 'relu', bias: 'fan-in' };
const trainer = { name: 'noisy-gd', lr: 0.5, clip: 1, noise: 0.01, loss: 'hinge' };
const run = { steps: 1_500, batchSize: 4_096, trainSetSize: 4_096, evalEvery: 50, testSize: 2_000, replicas: 2 };

export const INAL_PRESETS: readonly Preset[] = [
  {
    name: 'inal-staircase',
    description:
      'staircase x₁ + x₁x₂ + x₁x₂x₃ + x₁⋯x₄ (signed) on n=32 bits: noticeable INAL (~1/n); full-batch noisy GD on 4,096 examples learns it (Abbe et al. 2022)',
    config: { task: { name: 'boolean-target', family: 'staircase', n: 32, k: 4 }, model, trainer, run },
  },
  {
    name: 'inal-high-degree-parity',
    description:
      'parity of n/2 = 16 of n=32 bits: negligible INAL; the same noisy GD stays at chance (Abbe et al. 2022)',
    config: { task: { name: 'boolean-target', family: 'parity', n: 32, k: 16 }, model, trainer, run },
  },
];
