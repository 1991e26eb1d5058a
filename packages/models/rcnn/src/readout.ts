/**
 * The pixel-wise readout: one small MLP applied at every cell of the final grid, its outputs
 * summed over the grid (docs/papers.md §2). The sum is scaled by 1/√(H·W) so the output has the same
 * scale at init for every grid size; the scale is a constant, so the function class is the
 * published one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';

/** The readout's hidden pre-activation and the prediction. */
export interface ReadoutResult {
  /** Cells as rows: (R, B·H·W, C). */
  input: tf.Tensor;
  /** (R, B·H·W, h) */
  hiddenPre: tf.Tensor;
  /** (R, B·H·W, h) */
  hidden: tf.Tensor;
  /** Per-cell outputs before the sum: (R, B·H·W, out). */
  cellOutput: tf.Tensor;
  /** (R, B, out) */
  output: tf.Tensor;
}

const param = (params: Params, name: string): tf.Tensor => {
  const t = params[name];
  if (t === undefined) throw new Error(`rcnn: missing parameter "${name}"`);
  return t;
};

/** s (R·B, H, W, C), replica-major → ReadoutResult; every tensor in it is new (the caller owns them). */
export function readout(params: Params, replicas: number, s: tf.Tensor4D): ReadoutResult {
  return tf.tidy(() => {
    const [RB, H, W, C] = s.shape;
    const R = replicas;
    const B = RB / R;
    const input = tf.reshape(s, [R, B * H * W, C]);
    // (R, B·H·W, C) @ (R, C, h) + (R, 1, h)
    const hiddenPre = tf.add(tf.matMul(input, param(params, 'readW1')), param(params, 'readB1'));
    const hidden = tf.relu(hiddenPre);
    const cellOutput = tf.matMul(hidden, param(params, 'readW2')); // (R, B·H·W, out)
    const out = cellOutput.shape[2] as number;
    const summed = tf.sum(tf.reshape(cellOutput, [R, B, H * W, out]), 2); // (R, B, out)
    const output = tf.add(tf.mul(summed, 1 / Math.sqrt(H * W)), param(params, 'readB2'));
    return { input, hiddenPre, hidden, cellOutput, output };
  });
}
