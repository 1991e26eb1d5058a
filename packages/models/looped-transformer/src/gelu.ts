import * as tf from '@tensorflow/tfjs-core';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU in the tanh form GPT-2 uses (`gelu_new`; Hendrycks & Gimpel 2016):
 * 0.5·z·(1 + tanh(√(2/π)(z + 0.044715 z³))). z³ as z·z·z: tf.pow and its gradient are several
 * times slower on wasm. Same function as `@learnability/dense`'s `activate('gelu')`.
 */
export function gelu(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const cube = tf.mul(tf.mul(z, z), z);
    const inner = tf.mul(SQRT_2_OVER_PI, tf.add(z, tf.mul(0.044715, cube)));
    return tf.mul(tf.mul(0.5, z), tf.add(1, tf.tanh(inner)));
  });
}
