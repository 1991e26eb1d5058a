import * as tf from '@tensorflow/tfjs-core';

/**
 * LayerNorm over the last axis (Ba et al. 2016, as in GPT-2): (x − μ) / √(σ² + ε) · γ + β, with
 * the biased variance. x (R, ..., D); γ, β (R, 1, D), broadcast over the middle axes.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const axis = x.rank - 1;
    // (R, 1, D) -> (R, 1, ..., 1, D) so it lines up with x's replica axis.
    const perReplica = [x.shape[0] as number, ...new Array<number>(x.rank - 2).fill(1), x.shape[axis] as number];
    const centred = tf.sub(x, tf.mean(x, axis, true));
    const variance = tf.mean(tf.square(centred), axis, true);
    const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(normed, tf.reshape(gamma, perReplica)), tf.reshape(beta, perReplica));
  });
}
