import * as tf from '@tensorflow/tfjs-core';
import { GELU, GELU_GRAD } from './fused/block-kernels.js';
import { kernelsRegistered } from '@learnability/core';

/** 2·√(2/π) and GPT-2's cubic coefficient. */
const TWO_SQRT_2_OVER_PI = 2 * Math.sqrt(2 / Math.PI);
const CUBIC = 0.044715;

/** GELU composed of TF.js ops, with its gradient written out (below). */
export const geluFromOps = tf.customGrad((...args) => {
  const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const zz = tf.square(z);
  const s = tf.sigmoid(tf.mul(tf.mul(z, tf.add(1, tf.mul(CUBIC, zz))), TWO_SQRT_2_OVER_PI));
  save([z, zz, s]);
  return {
    value: tf.mul(z, s),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [x, x2, sig] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dv = tf.mul(tf.add(1, tf.mul(3 * CUBIC, x2)), TWO_SQRT_2_OVER_PI); // ∂v/∂z
      return tf.mul(dy, tf.add(sig, tf.mul(tf.mul(x, tf.mul(sig, tf.sub(1, sig))), dv)));
    },
  };
});

/** The same GELU by the backend's GELU and GELU_GRAD kernels (block-kernels.ts): one pass each way. */
const geluByKernels = tf.customGrad((...args) => {
  const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([z]);
  return {
    value: tf.engine().runKernel(GELU, { x: z }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, [x]: tf.Tensor[]) =>
      tf.engine().runKernel(GELU_GRAD, { x: x as tf.Tensor, dy }) as tf.Tensor,
  };
});

/**
 * GELU in the tanh form GPT-2 uses (`gelu_new`; Hendrycks & Gimpel 2016):
 * 0.5·z·(1 + tanh(u)), u = √(2/π)(z + 0.044715 z³); the same function as `@learnability/dense`'s
 * `activate('gelu')`. Computed as z·σ(2u), which is equal (0.5·(1 + tanh(u)) = σ(2u)):
 * - on wasm σ runs in XNNPACK, 25× faster than tfjs-wasm's scalar tanh (0.13 ms against 3.5 ms
 *   for a (1152, 128) activation here);
 * - it does not cancel where tanh(u) → −1.
 * The gradient is written out, as LayerNorm's is (layer-norm.ts): with s = σ(v), v = 2u,
 * ∂y/∂z = s + z·s·(1 − s)·2√(2/π)·(1 + 3·0.044715 z²).
 * Where the backend has the GELU kernels (wasm, with `LOOPED_KERNELS`), they compute it instead.
 */
export function gelu(z: tf.Tensor): tf.Tensor {
  const fused = z.size >= 4 && z.dtype === 'float32' && kernelsRegistered(GELU, GELU_GRAD);
  return fused ? geluByKernels(z) : geluFromOps(z);
}
