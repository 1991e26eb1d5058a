/**
 * The lab's weight heatmap data: |W| of the first dense layer of replica 0, hidden unit × input
 * bit. During sparse-parity training the columns of the parity's support S brighten as the
 * network finds them (Barak et al. 2022's hidden progress, seen bit by bit). Read in the worker at
 * each evaluation and posted to the page as one small Float32Array.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';

/** Hidden units sent at most (the first ones): 64 × n floats per evaluation. */
export const HEATMAP_MAX_UNITS = 64;

/** |W| of replica 0's first layer, the first `units` hidden units, row-major (units, inputs). */
export interface WeightMap {
  step: number;
  /** Rows: hidden units shown (≤ HEATMAP_MAX_UNITS). */
  units: number;
  /** The layer's hidden units in all. */
  totalUnits: number;
  /** Columns: input bits n. */
  inputs: number;
  /** |w[unit, bit]| at `unit * inputs + bit`. */
  data: Float32Array;
  /** The task's hidden bits S (sparse parity), or null when the task has none. */
  support: number[] | null;
}

/**
 * (units, inputs) = |w0[0, :, :units]|ᵀ when `params` holds a dense first layer `w0` of shape
 * (R, n, h); null for a model without one. The caller owns the tensor.
 */
export function firstLayerMagnitudes(params: Params, maxUnits = HEATMAP_MAX_UNITS): tf.Tensor2D | null {
  const w0 = params['w0'];
  if (w0 === undefined || w0.rank !== 3) return null;
  const [, n, h] = w0.shape as [number, number, number];
  const units = Math.min(h, maxUnits);
  return tf.tidy(
    () => tf.transpose(tf.abs(tf.reshape(tf.slice(w0, [0, 0, 0], [1, n, units]), [n, units]))) as tf.Tensor2D,
  ); // (1, n, u) → (u, n)
}

/** Reads the heatmap of `params` at `step`, or null when the model has no dense first layer. */
export async function readWeightMap(
  params: Params,
  step: number,
  support: readonly number[] | null,
  maxUnits = HEATMAP_MAX_UNITS,
): Promise<WeightMap | null> {
  const t = firstLayerMagnitudes(params, maxUnits);
  if (!t) return null;
  const [units, inputs] = t.shape;
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return {
    step,
    units,
    inputs,
    totalUnits: params['w0']?.shape[2] ?? units,
    data,
    support: support ? [...support] : null,
  };
}

/**
 * Mean |w| on the support's columns over the mean on the other columns: about 1 at an i.i.d.
 * init, large once the units have concentrated on S. Null without a support (or with nothing
 * outside it).
 */
export function supportContrast(map: WeightMap): number | null {
  if (!map.support || map.support.length === 0 || map.support.length >= map.inputs) return null;
  const onS = new Set(map.support);
  let [inSum, outSum] = [0, 0];
  for (let u = 0; u < map.units; u++) {
    for (let i = 0; i < map.inputs; i++) {
      const v = map.data[u * map.inputs + i] ?? 0;
      if (onS.has(i)) inSum += v;
      else outSum += v;
    }
  }
  const inMean = inSum / (map.units * map.support.length);
  const outMean = outSum / (map.units * (map.inputs - map.support.length));
  return outMean > 0 ? inMean / outMean : null;
}
