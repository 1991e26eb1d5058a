import * as tf from '@tensorflow/tfjs-core';
import type { Model, OutputKind, Params } from '@learnability/core';

/** Rows per forward pass during evaluation by default (`run.evalChunk`), to bound memory on large test sets. */
export const EVAL_CHUNK = 2048;

/**
 * What scoring leaves on the device: per replica (R,), a tensor the caller owns holding the hits
 * (sign and class tasks: exact integers in float32, up to 2²⁴) or the mean squared error
 * (real-valued tasks), and how many rows each replica was scored on. `hostScores` reads it.
 * (A type, not an interface: `tf.tidy` may return it.)
 */
export type DeviceScores = {
  value: tf.Tensor;
  kind: OutputKind;
  rows: number;
};

/**
 * Per replica, accuracy and error on the host: the hits over the rows divided once, in float64,
 * so 1,900 of 2,000 is exactly 0.95 and reaches a 0.95 threshold (float32 gave 0.94999999 there,
 * and 0.9 and 0.7 fell short alike); error 1 − accuracy. A real-valued task has no accuracy (NaN)
 * and its mean squared error as the error.
 */
export async function hostScores(s: DeviceScores): Promise<{ accuracy: number[]; error: number[] }> {
  const values = Array.from(await s.value.data());
  if (s.kind === 'real') return { accuracy: values.map(() => Number.NaN), error: values };
  const accuracy = values.map((hits) => hits / s.rows);
  return { accuracy, error: accuracy.map((a) => 1 - a) };
}

/**
 * Per-replica scores (`DeviceScores`) on a shared set x (N, ...), y (N, out), `chunk` rows per
 * forward pass: every replica sees the same examples. Hits are counted over the chunks, not
 * averaged per chunk: the same count in any chunking.
 */
export function evaluateShared(
  model: Model,
  params: Params,
  x: tf.Tensor,
  y: tf.Tensor,
  kind: OutputKind,
  chunk = EVAL_CHUNK,
): DeviceScores {
  const n = x.shape[0] as number;
  const value = tf.tidy(() => {
    const R = model.replicas;
    let total: tf.Tensor = tf.zeros([R]); // hits (sign, class), or squared error summed over rows (real)
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const xs = tf.slice(x, [start], [size]);
      const ys = tf.slice(y, [start], [size]);
      // (N, ...) → (R, N, ...): every replica gets the same rows.
      const xr = tf.tile(tf.expandDims(xs, 0), [R, ...xs.shape.map(() => 1)]);
      const pred = model.apply(params, xr);
      const yr = tf.expandDims(ys, 0);
      const hits = hitCounts(pred, yr, kind);
      total = tf.add(total, hits ?? tf.mul(meanSquaredError(pred, yr), size));
    }
    return kind === 'real' ? tf.div(total, n) : total;
  });
  // Rows scored per replica: each output of a sign task (its hits count them), each example else.
  return { value, kind, rows: kind === 'sign' ? y.size : n };
}

/**
 * Per replica, how many predictions (R, B, out) agree with targets (R|1, B, out): exact integers
 * in float32 (up to 2²⁴). Sign tasks: the sign, a prediction of exactly 0 counting as wrong (the
 * learner has not chosen); class tasks: the argmax. Null for real-valued tasks, which have no hits.
 */
function hitCounts(pred: tf.Tensor, target: tf.Tensor, kind: OutputKind): tf.Tensor | null {
  if (kind === 'real') return null;
  return tf.tidy(() => {
    const R = pred.shape[0] as number;
    const hit =
      kind === 'sign' ? tf.greater(tf.mul(pred, target), 0) : tf.equal(tf.argMax(pred, -1), tf.argMax(target, -1));
    return tf.sum(tf.reshape(tf.cast(hit, 'float32'), [R, -1]), 1);
  });
}

/** Per replica, the mean squared error of predictions (R, B, out) against targets (R|1, B, out). */
function meanSquaredError(pred: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.reshape(tf.square(tf.sub(pred, target)), [pred.shape[0] as number, -1]), 1));
}

/** Per-replica scores (`DeviceScores`) of predictions (R, B, out) against targets (R|1, B, out). */
export function scoreBatch(pred: tf.Tensor, target: tf.Tensor, kind: OutputKind): DeviceScores {
  // Rows scored per replica: each output of a sign task, each example of a class task.
  const rows = pred.size / (pred.shape[0] as number) / (kind === 'class' ? (pred.shape.at(-1) as number) : 1);
  return { value: hitCounts(pred, target, kind) ?? meanSquaredError(pred, target), kind, rows };
}

/** ‖θ − θ₀‖₂ per replica over every parameter: how far training has moved the weights. (R,) */
export function distanceFromInit(params: Params, initial: Params): tf.Tensor {
  return tf.tidy(() => {
    let sum: tf.Tensor | null = null;
    for (const [name, p] of Object.entries(params)) {
      const p0 = initial[name];
      if (p0 === undefined) continue;
      const R = p.shape[0] as number;
      const sq = tf.sum(tf.reshape(tf.square(tf.sub(p, p0)), [R, -1]), 1);
      sum = sum === null ? sq : tf.add(sum, sq);
    }
    return tf.sqrt(sum ?? tf.zeros([1]));
  });
}
