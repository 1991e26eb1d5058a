import * as tf from '@tensorflow/tfjs-core';

/**
 * A replicated affine map on the last axis: x (R, ..., F_in) · w (R, F_in, F_out) + b (R, 1, F_out)
 * → (R, ..., F_out). The middle axes are flattened into one batched matMul per replica.
 */
export function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [R, ...rest] = x.shape as [number, ...number[]];
    const fanIn = rest[rest.length - 1] as number;
    const fanOut = w.shape[2] as number;
    const rows = rest.slice(0, -1).reduce((a, v) => a * v, 1);
    // (R, ..., F_in) -> (R, N, F_in) @ (R, F_in, F_out) -> (R, N, F_out)
    const y = tf.add(tf.matMul(tf.reshape(x, [R, rows, fanIn]), w), b);
    return tf.reshape(y, [R, ...rest.slice(0, -1), fanOut]);
  });
}
