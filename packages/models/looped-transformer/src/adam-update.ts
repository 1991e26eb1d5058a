import * as tf from '@tensorflow/tfjs-core';

/** Adam's hyper-parameters (Kingma & Ba 2015). */
export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay (AdamW): θ ← θ − η·λθ. 0 for plain Adam. */
  weightDecay: number;
}

/**
 * One bias-corrected Adam update of one parameter at 1-based step `step` — the same rule as
 * `@learnability/sgd`'s createAdam (kept here so this model package needs no trainer package).
 * Call inside a tidy.
 */
export function adamUpdate(param: tf.Tensor, grad: tf.Tensor, m0: tf.Tensor, v0: tf.Tensor, step: number, h: AdamHyper): { param: tf.Tensor; m: tf.Tensor; v: tf.Tensor } {
  const m = tf.add(tf.mul(h.beta1, m0), tf.mul(1 - h.beta1, grad));
  const v = tf.add(tf.mul(h.beta2, v0), tf.mul(1 - h.beta2, tf.square(grad)));
  const mHat = tf.div(m, 1 - h.beta1 ** step);
  const vHat = tf.div(v, 1 - h.beta2 ** step);
  let next = tf.sub(param, tf.mul(h.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), h.epsilon))));
  if (h.weightDecay > 0) next = tf.sub(next, tf.mul(h.lr * h.weightDecay, param));
  return { param: next, m, v };
}
