import * as tf from '@tensorflow/tfjs-core';
import { assert } from '@learnability/core';
import type { Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { ParamUpdate } from './gradient-trainer.js';
import type { LossName } from './losses.js';

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

/** Adam's hyper-parameters, as `adamUpdate` reads them. */
export type AdamHyper = Required<Omit<AdamConfig, 'loss'>>;

/** The per-parameter slots `adamUpdate` keeps: first and second moments. */
export const ADAM_SLOTS = ['m', 'v'] as const;

/**
 * One bias-corrected Adam update of one parameter at 1-based step `step` (Kingma & Ba 2015,
 * Algorithm 1; decoupled weight decay as AdamW). The one Adam of the workspace: `createAdam` and
 * `@learnability/looped-adam` both use it.
 */
export const adamUpdate =
  (h: AdamHyper): ParamUpdate =>
  ({ param, grad, slots, step }) => {
    const m = tf.add(tf.mul(h.beta1, slots.m as tf.Tensor), tf.mul(1 - h.beta1, grad));
    const v = tf.add(tf.mul(h.beta2, slots.v as tf.Tensor), tf.mul(1 - h.beta2, tf.square(grad)));
    const mHat = tf.div(m, 1 - h.beta1 ** step);
    const vHat = tf.div(v, 1 - h.beta2 ** step);
    let next = tf.sub(param, tf.mul(h.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), h.epsilon))));
    if (h.weightDecay > 0) next = tf.sub(next, tf.mul(h.lr * h.weightDecay, param));
    return { param: next, slots: { m, v } };
  };

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
    slotNames: ADAM_SLOTS,
    update: adamUpdate(c),
    describe: () => ({ name: 'adam', ...c }),
  });
}
