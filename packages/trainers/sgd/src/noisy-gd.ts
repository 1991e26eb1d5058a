import { assertInt, defineSchema, resolveOptions } from '@learnability/core';
import type { OptionsOf, Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import { lossField, targetsOf } from './losses.js';
import { addNoise, chain, clipByValue, scale } from './transforms.js';

/** Noisy GD's options: θ ← θ − γ([∇L]_A + N(0, τ²)), each gradient coordinate clipped to [−A, A] first. */
export const NOISY_GD_SCHEMA = defineSchema({
  lr: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, doc: 'step size γ' },
  clip: { type: 'number', default: 1, min: 0, exclusiveMin: true, doc: 'gradient range A (per coordinate)' },
  noise: { type: 'number', default: 0.01, min: 0, doc: 'noise standard deviation τ' },
  loss: lossField('hinge'),
});

export type NoisyGdOptions = OptionsOf<typeof NOISY_GD_SCHEMA.fields>;

/** Noisy GD's config: options not given take their defaults. */
export interface NoisyGdConfig extends Partial<NoisyGdOptions> {
  /** Seed of the noise stream (set from the run's seed). Default 0. */
  seed?: number;
}

/**
 * Noisy (clipped) gradient descent of Abbe & Sandon 2020 and Abbe et al. 2022:
 * θ ← θ − γ([∇L]_A + N(0, τ²)). Full-batch when the run uses a fixed training set as its batch.
 */
export function createNoisyGd(config: NoisyGdConfig = {}): Trainer {
  const c = { ...resolveOptions('noisy-gd', NOISY_GD_SCHEMA, config, ['seed']), seed: config.seed ?? 0 };
  // Replica r draws from seed + r: a string seed would concatenate ("7" + 1 = "71"), not add.
  assertInt('noisy-gd.seed', c.seed, 0);
  return createGradientTrainer({
    name: 'noisy-gd',
    source: gradientOf(c.loss),
    transform: chain(clipByValue(c.clip), addNoise(c.noise, c.seed), scale(-c.lr)),
    describe: () => ({ name: 'noisy-gd', ...c }),
    ...targetsOf(c.loss),
  });
}
