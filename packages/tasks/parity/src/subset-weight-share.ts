/**
 * The hidden-progress measure of Barak et al. 2022 for a dense first layer: how much of the
 * first-layer weight mass sits on the parity's hidden coordinates.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';

/**
 * Per replica, Σ_{i∈S} ‖W[i,:]‖² / Σ_i ‖W[i,:]‖² for a first-layer weight W of shape (R, n, h)
 * (the dense MLP's `w0`: (replicas, inputs, hidden)). About k/n at an i.i.d. init; → 1 as the
 * network concentrates on S. A replica whose weights are all zero gets NaN. Returns a (R,)
 * tensor the caller owns (read it with `await data()`: WebGPU has no sync read in Node).
 */
export function subsetWeightShare(w0: tf.Tensor, subset: readonly number[]): tf.Tensor {
  if (w0.rank !== 3) throw new RangeError(`subsetWeightShare: w0 must be rank 3 (R, n, h), but got rank ${w0.rank}`);
  const n = w0.shape[1] as number;
  for (const i of subset) {
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new RangeError(`subsetWeightShare: subset index ${i} is outside [0, ${n})`);
  }
  // A repeated index would count its row twice (share > its weight's); an integer w0 divide as integers.
  if (new Set(subset).size !== subset.length)
    throw new RangeError(`subsetWeightShare: subset indices must be distinct, but got [${subset.join(', ')}]`);
  if (w0.dtype !== 'float32') throw new RangeError(`subsetWeightShare: w0 must be float32, but is ${w0.dtype}`);
  return tf.tidy(() => {
    const rowMass = tf.sum(tf.square(w0), 2); // (R, n)
    const total = tf.sum(rowMass, 1); // (R)
    if (subset.length === 0) return tf.zerosLike(total);
    const onSubset = tf.sum(tf.gather(rowMass, tf.tensor1d([...subset], 'int32'), 1), 1); // (R)
    return tf.div(onSubset, total);
  });
}

/**
 * `{ subsetWeightShare }` when `params` holds a first-layer weight `w0` of shape (R, n, h) with
 * n inputs; `{}` otherwise (a model without a dense first layer has no such measure).
 */
export function parityMeasures(params: Params, n: number, subset: readonly number[]): Record<string, tf.Tensor> {
  const w0 = params['w0'];
  if (w0 === undefined || w0.rank !== 3 || w0.shape[1] !== n) return {};
  return { subsetWeightShare: subsetWeightShare(w0, subset) };
}
