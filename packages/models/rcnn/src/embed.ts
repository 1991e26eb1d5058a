/**
 * The first layer: writes the input onto the grid as C channels per input cell, either dense
 * (every input reaches every input cell: d·(d+1)·C weights for a vector [d]) or per cell
 * (`cell`: x·U + P, 2·rows·cols·C); the rest of the grid (workspace) gets zeros. The only part
 * whose size depends on the input (m, d).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';
import type { ResolvedRcnnConfig } from './rcnn-config.js';

const param = (params: Params, name: string): tf.Tensor => {
  const t = params[name];
  if (t === undefined) throw new Error(`rcnn: missing parameter "${name}"`);
  return t;
};

/**
 * Pre-activation of the first layer on the input cells only, replicas folded into the batch
 * axis (replica-major; no rank-5 tensors, which WebGPU in TF.js 4.22 cannot pad or slice).
 * x (R, B, ...inputShape) → (R·B, h0, w0, C)
 */
export function embedInput(c: ResolvedRcnnConfig, params: Params, x: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const [R, B] = x.shape as [number, number];
    const { inputRows: h0, inputCols: w0, channels: C } = c;
    if (c.embedding === 'cell') {
      // x_rc·U_rc + P_rc: (R, B, h0·w0, 1) ⊙ (R, 1, h0·w0, C) + (R, 1, h0·w0, C)
      const cells = tf.reshape(x, [R, B, h0 * w0, 1]);
      const scale = tf.reshape(param(params, 'embedScale'), [R, 1, h0 * w0, C]);
      const bias = tf.reshape(param(params, 'embedBias'), [R, 1, h0 * w0, C]);
      return tf.reshape(tf.add(tf.mul(cells, scale), bias), [R * B, h0, w0, C]);
    }
    // (R, B, h0·w0) @ (R, h0·w0, h0·w0·C) + (R, 1, h0·w0·C) → (R·B, h0, w0, C)
    const flat = tf.reshape(x, [R, B, h0 * w0]);
    const z = tf.add(tf.matMul(flat, param(params, 'embedW')), param(params, 'embedBias'));
    return tf.reshape(z, [R * B, h0, w0, C]);
  });
}

/**
 * The injected input on the whole grid: the embedding at the top-left h0 × w0 cells, zeros elsewhere.
 * (R·B, h0, w0, C) → (R·B, H, W, C)
 */
export function placeOnGrid(c: ResolvedRcnnConfig, cells: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const extraRows = c.gridHeight - c.inputRows;
    const extraCols = c.gridWidth - c.inputCols;
    if (extraRows === 0 && extraCols === 0) return cells.clone();
    return tf.pad(cells, [
      [0, 0],
      [0, extraRows],
      [0, extraCols],
      [0, 0],
    ]);
  });
}
