/**
 * Named presets: short override files over the defaults (nanoGPT's config/ habit). Each says
 * where its numbers come from.
 */
import { ALIGN_PRESETS } from './presets/align.js';
import { LOOPED_PRESETS } from './presets/looped.js';
import { RCNN_PRESETS } from './presets/rcnn.js';
import { INAL_PRESETS } from './presets/inal.js';

/** A named preset: a config over the defaults and a one-line description of it. */
export interface Preset {
  name: string;
  description: string;
  /** A raw config; validated (and defaults filled) when used. */
  config: Record<string, unknown>;
}

/** Every named preset (`getPreset` finds one by name). */
export const PRESETS: readonly Preset[] = [
  {
    name: 'sparse-parity',
    description:
      "n=50, k=3 sparse parity, ReLU MLP width 1000 initialised as PyTorch's nn.Linear, hinge, SGD lr 0.1, batch 32, wd 0.01, fresh samples; 4 replicas + GF(2) elimination on the same stream (Barak et al. 2022)",
    config: {
      task: { name: 'sparse-parity', n: 50, k: 3 },
      // Barak et al. trained PyTorch nn.Linear layers: W and b ~ U(±1/√fan_in).
      model: { name: 'dense', widths: [1000], activation: 'relu', init: 'torch-linear' },
      trainer: { name: 'sgd', lr: 0.1, weightDecay: 0.01, loss: 'hinge' },
      run: { steps: 30_000, batchSize: 32, evalEvery: 200, testSize: 2_000, replicas: 4 },
      learners: [{ name: 'gf2-elimination' }],
    },
  },
  {
    name: 'parity-elimination',
    description:
      'GF(2) Gaussian elimination alone on an n=1024, k=3 parity: learns exactly once its samples reach rank n (about n + 2)',
    config: {
      task: { name: 'sparse-parity', n: 1024, k: 3 },
      // n + 20 samples at most: full rank with probability ≥ 1 − 2^−20 (docs/papers.md §1).
      run: { steps: 1044, batchSize: 1, testSize: 2_000 },
      learners: [{ name: 'gf2-elimination' }],
    },
  },
  {
    name: 'noisy-gd-parity',
    description:
      'full-batch noisy clipped GD (Abbe & Sandon 2020) on an n=16, k=2 parity with a fixed training set of 2,048 examples',
    config: {
      task: { name: 'sparse-parity', n: 16, k: 2 },
      model: { name: 'dense', widths: [256], activation: 'relu', bias: 'fan-in' },
      trainer: { name: 'noisy-gd', lr: 0.2, clip: 1, noise: 0.01, loss: 'hinge' },
      run: { steps: 3_000, batchSize: 2_048, trainSetSize: 2_048, evalEvery: 20, testSize: 2_000, replicas: 2 },
    },
  },
  ...ALIGN_PRESETS,
  ...LOOPED_PRESETS,
  ...RCNN_PRESETS,
  ...INAL_PRESETS,
];

/**
 * A preset by name, or a one-line error listing the names. Not a file: the callers that also take
 * a config file (the CLI's argument) say so in their own message.
 */
export function getPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) throw new Error(`unknown preset "${name}"; known presets: ${PRESETS.map((p) => p.name).join(', ')}`);
  return preset;
}
