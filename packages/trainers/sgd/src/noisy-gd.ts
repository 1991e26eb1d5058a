import * as tf from '@tensorflow/tfjs-core';
import { assert, hashString } from '@learnability/core';
import type { Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { LossName } from './losses.js';

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
  const base = hashString(`noisy-gd:${c.seed}`);
  return createGradientTrainer({
    name: 'noisy-gd',
    source: gradientOf(c.loss),
    slotNames: [],
    update: ({ param, grad, index, step }) => {
      const clipped = tf.clipByValue(grad, -c.clip, c.clip);
      // A fresh, reproducible noise draw per (step, parameter).
      const seed = (base ^ Math.imul(step, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
      const noisy = c.noise > 0 ? tf.add(clipped, tf.randomNormal(param.shape, 0, c.noise, 'float32', seed)) : clipped;
      return { param: tf.sub(param, tf.mul(c.lr, noisy)) };
    },
    describe: () => ({ name: 'noisy-gd', ...c }),
  });
}
