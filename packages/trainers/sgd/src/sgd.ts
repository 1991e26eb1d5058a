import * as tf from '@tensorflow/tfjs-core';
import { assert } from '@learnability/core';
import type { Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { LossName } from './losses.js';

export interface SgdConfig {
  /** Learning rate η. Default 0.1 (Barak et al. 2022). */
  lr?: number;
  /** Heavy-ball momentum μ (PyTorch form: b ← μb + g, θ ← θ − ηb). Default 0 (plain SGD). */
  momentum?: number;
  /** L2 weight decay λ, added to the gradient as λθ (PyTorch's coupled form). Default 0. */
  weightDecay?: number;
  /** Loss. Default 'hinge'. */
  loss?: LossName;
}

export const SGD_DEFAULTS: Required<SgdConfig> = { lr: 0.1, momentum: 0, weightDecay: 0, loss: 'hinge' };

/** Stochastic gradient descent with optional momentum and weight decay. */
export function createSgd(config: SgdConfig = {}): Trainer {
  const c = { ...SGD_DEFAULTS, ...config };
  assert(c.lr > 0, () => `sgd.lr must be > 0, but got ${c.lr}`);
  assert(c.momentum >= 0 && c.momentum < 1, () => `sgd.momentum must be in [0, 1), but got ${c.momentum}`);
  assert(c.weightDecay >= 0, () => `sgd.weightDecay must be ≥ 0, but got ${c.weightDecay}`);
  return createGradientTrainer({
    name: 'sgd',
    source: gradientOf(c.loss),
    slotNames: c.momentum > 0 ? ['momentum'] : [],
    // Plain SGD (no momentum buffer) is what fused model steps implement.
    ...(c.momentum === 0 ? { sgdRule: { lr: c.lr, weightDecay: c.weightDecay, loss: c.loss } } : {}),
    update: ({ param, grad, slots }) => {
      const g = c.weightDecay > 0 ? tf.add(grad, tf.mul(c.weightDecay, param)) : grad;
      if (c.momentum === 0) return { param: tf.sub(param, tf.mul(c.lr, g)) };
      const buffer = tf.add(tf.mul(c.momentum, slots.momentum as tf.Tensor), g);
      return { param: tf.sub(param, tf.mul(c.lr, buffer)), slots: { momentum: buffer } };
    },
    describe: () => ({ name: 'sgd', ...c }),
  });
}
