import * as tf from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD } from './fused/block-kernels.js';
import { kernelsRegistered } from '@learnability/core';
import type { LayerNormAttrs } from './fused/block-kernels.js';

/**
 * LayerNorm over the last axis (Ba et al. 2016, as in GPT-2): (x − μ) / √(σ² + ε) · γ + β, with
 * the biased variance. x (R, ..., D); γ, β (R, 1, D), broadcast over the middle axes.
 *
 * The gradient is written out rather than taped: with n = (x − μ)·r, r = 1/√(σ² + ε) and
 * g = ∂L/∂y · γ, ∂L/∂x = r·(g − mean(g) − n·mean(g·n)) over the last axis, ∂L/∂γ = Σ ∂L/∂y·n and
 * ∂L/∂β = Σ ∂L/∂y over the middle axes: 13 kernels, and 3 saved tensors for the tape to copy.
 * Autodiff of the forward ops ran about 45 more per LayerNorm (a step of the `-small` looped
 * preset: 2,557 kernels before, 2,017 after), and on wasm such small kernels cost more to launch
 * than to run. Checked against that autodiff (written-gradients.test.ts). Where the backend has
 * the LAYER_NORM kernels (wasm, with `LOOPED_KERNELS`), they compute it in one pass forward and
 * two back, for widths D that are multiples of 4.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const D = x.shape[x.rank - 1] as number;
  if (layerNormKernelTakes(D) && x.dtype === 'float32' && kernelsRegistered(LAYER_NORM, LAYER_NORM_GRAD))
    return layerNormByKernels(x, gamma, beta, epsilon);
  return layerNormFromOps(x, gamma, beta, epsilon);
}

/** Whether the LAYER_NORM kernels take rows of width D (SIMD lanes of 4). */
export const layerNormKernelTakes = (D: number): boolean => D % 4 === 0;

/** LayerNorm composed of TF.js ops, with its gradient written out. */
export function layerNormFromOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const axis = x.rank - 1;
  const [R, D] = [x.shape[0] as number, x.shape[axis] as number];
  // (R, 1, D) -> (R, 1, ..., 1, D) so it lines up with x's replica axis.
  const perReplica = [R, ...new Array<number>(x.rank - 2).fill(1), D];
  const withGradient = tf.customGrad((...args) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const centred = tf.sub(x, tf.mean(x, axis, true));
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(centred), axis, true), epsilon)); // (R, ..., 1)
    const normed = tf.mul(centred, r);
    const g = tf.reshape(gamma, perReplica);
    save([normed, r, g]);
    return {
      value: tf.add(tf.mul(normed, g), tf.reshape(beta, perReplica)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [n, rs, gs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const dn = tf.mul(dy, gs);
        const along = (t: tf.Tensor) => tf.mean(t, axis, true);
        const dx = tf.mul(rs, tf.sub(tf.sub(dn, along(dn)), tf.mul(n, along(tf.mul(dn, n)))));
        // (R, ..., D) -> (R, rows, D), summed over the rows to γ's and β's (R, 1, D).
        const overRows = (t: tf.Tensor) => tf.sum(tf.reshape(t, [R, -1, D]), 1, true);
        return [dx, overRows(tf.mul(dy, n)), overRows(dy)];
      },
    };
  });
  return withGradient(x, gamma, beta);
}

/** The same LayerNorm by the backend's LAYER_NORM and LAYER_NORM_GRAD kernels (block-kernels.ts); γ, β (R, 1, D). */
function layerNormByKernels(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const attrs: LayerNormAttrs = { epsilon };
  const withGradient = tf.customGrad((...args) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, stats] = tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, attrs) as [tf.Tensor, tf.Tensor];
    save([x, gamma, stats]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, ss] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return tf.engine().runKernel(LAYER_NORM_GRAD, { dy, x: xs, gamma: gs, stats: ss }) as tf.Tensor[];
      },
    };
  });
  return withGradient(x, gamma, beta);
}
