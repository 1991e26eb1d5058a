import { assert } from '@learnability/core';
import type { Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { LossName } from './losses.js';
import { chain, scale, scaleByAdam } from './transforms.js';

export interface AdamConfig {
  /** Learning rate. Default 1e-3 (Kingma & Ba 2015). */
  lr?: number;
  /** First-moment decay β₁. Default 0.9. */
  beta1?: number;
  /** Second-moment decay β₂. Default 0.999. */
  beta2?: number;
  /** ε added to √v̂. Default 1e-8. */
  epsilon?: number;
  /** Decoupled weight decay (AdamW, Loshchilov & Hutter 2019): θ ← θ − η·λθ. Default 0. */
  weightDecay?: number;
  /** Loss. Default 'mse'. */
  loss?: LossName;
}

export const ADAM_DEFAULTS: Required<AdamConfig> = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
  loss: 'mse',
};

/** Adam with bias correction (AdamW when weightDecay > 0). */
export function createAdam(config: AdamConfig = {}): Trainer {
  const c = { ...ADAM_DEFAULTS, ...config };
  assert(c.lr > 0, () => `adam.lr must be > 0, but got ${c.lr}`);
  assert(
    c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1,
    () => `adam.beta1 and adam.beta2 must be in [0, 1), but got ${c.beta1}, ${c.beta2}`,
  );
  return createGradientTrainer({
    name: 'adam',
    source: gradientOf(c.loss),
    transform: chain(scaleByAdam(c.beta1, c.beta2, c.epsilon), scale(-c.lr)),
    decoupledDecay: c.lr * c.weightDecay,
    describe: () => ({ name: 'adam', ...c }),
  });
}
