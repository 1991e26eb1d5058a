import * as tf from '@tensorflow/tfjs-core';
import type { Model, OutputKind, Params } from '@learnability/core';

/** Rows per forward pass during evaluation by default (`run.evalChunk`), to bound memory on large test sets. */
export const EVAL_CHUNK = 2048;

/**
 * Per-replica accuracy (sign tasks) and error on a shared set x (N, ...), y (N, out), `chunk` rows
 * per forward pass: every replica sees the same examples. Returns device tensors (R,) the caller owns.
 * Accuracy is the count of hits over N, rounded once: 198 of 200 is 0.99 in float32 on every
 * backend, where a mean per chunk scaled back by its size rounded three times and fell below the
 * 0.99 that counts as learned on some backends.
 */
export function evaluateShared(
  model: Model,
  params: Params,
  x: tf.Tensor,
  y: tf.Tensor,
  kind: OutputKind,
  chunk = EVAL_CHUNK,
): { accuracy: tf.Tensor; error: tf.Tensor } {
  return tf.tidy(() => {
    const n = x.shape[0] as number;
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
    if (kind === 'real') return { accuracy: tf.fill([R], Number.NaN), error: tf.div(total, n) };
    const accuracy = tf.div(total, n);
    return { accuracy, error: tf.sub(1, accuracy) };
  });
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

/** Per-replica accuracy (hits over the rows scored, rounded once) and error of predictions (R, B, out) against targets (R|1, B, out). */
export function scoreBatch(
  pred: tf.Tensor,
  target: tf.Tensor,
  kind: OutputKind,
): { accuracy: tf.Tensor; error: tf.Tensor } {
  return tf.tidy(() => {
    const hits = hitCounts(pred, target, kind);
    if (hits === null)
      return { accuracy: tf.fill([pred.shape[0] as number], Number.NaN), error: meanSquaredError(pred, target) };
    const scored = pred.size / (pred.shape[0] as number) / (kind === 'class' ? (pred.shape.at(-1) as number) : 1);
    const accuracy = tf.div(hits, scored);
    return { accuracy, error: tf.sub(1, accuracy) };
  });
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
