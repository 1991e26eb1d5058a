import { assert } from '@learnability/core';
import type { Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { LossName } from './losses.js';
import { addNoise, chain, clipByValue, scale } from './transforms.js';

export interface NoisyGdConfig {
  /** Step size γ. Default 0.1. */
  lr?: number;
  /** Range A: each gradient coordinate is clipped to [−A, A] before the noise is added. Default 1. */
  clip?: number;
  /** Noise standard deviation τ: θ ← θ − γ([∇L]_A + N(0, τ²)). Default 0.01. */
  noise?: number;
  /** Loss. Default 'hinge'. */
  loss?: LossName;
  /** Seed of the noise stream. Default 0. */
  seed?: number;
}

export const NOISY_GD_DEFAULTS: Required<NoisyGdConfig> = { lr: 0.1, clip: 1, noise: 0.01, loss: 'hinge', seed: 0 };

/**
 * Noisy (clipped) gradient descent of Abbe & Sandon 2020 and Abbe et al. 2022:
 * θ ← θ − γ([∇L]_A + N(0, τ²)). Full-batch when the run uses a fixed training set as its batch.
 */
export function createNoisyGd(config: NoisyGdConfig = {}): Trainer {
  const c = { ...NOISY_GD_DEFAULTS, ...config };
  assert(c.lr > 0, () => `noisy-gd.lr must be > 0, but got ${c.lr}`);
  assert(c.clip > 0, () => `noisy-gd.clip must be > 0, but got ${c.clip}`);
  assert(c.noise >= 0, () => `noisy-gd.noise must be ≥ 0, but got ${c.noise}`);
  return createGradientTrainer({
    name: 'noisy-gd',
    source: gradientOf(c.loss),
    transform: chain(clipByValue(c.clip), addNoise(c.noise, c.seed), scale(-c.lr)),
    describe: () => ({ name: 'noisy-gd', ...c }),
  });
}
