import * as tf from '@tensorflow/tfjs-core';
import type { Model, OutputKind, Params } from '@learnability/core';

/** Rows per forward pass during evaluation by default (`run.evalChunk`), to bound memory on large test sets. */
export const EVAL_CHUNK = 2048;

/**
 * Per-replica accuracy (sign tasks) and error on a shared set x (N, ...), y (N, out), `chunk` rows
 * per forward pass: every replica sees the same examples. Returns device tensors (R,) the caller owns.
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
    let correct: tf.Tensor = tf.zeros([R]);
    let error: tf.Tensor = tf.zeros([R]);
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const xs = tf.slice(x, [start], [size]);
      const ys = tf.slice(y, [start], [size]);
      // (N, ...) → (R, N, ...): every replica gets the same rows.
      const xr = tf.tile(tf.expandDims(xs, 0), [R, ...xs.shape.map(() => 1)]);
      const pred = model.apply(params, xr);
      const yr = tf.expandDims(ys, 0);
      const scores = scoreBatch(pred, yr, kind);
      correct = tf.add(correct, tf.mul(scores.accuracy, size));
      error = tf.add(error, tf.mul(scores.error, size));
    }
    return { accuracy: tf.div(correct, n), error: tf.div(error, n) };
  });
}

/** Per-replica accuracy and error of predictions (R, B, out) against targets (R|1, B, out). */
export function scoreBatch(
  pred: tf.Tensor,
  target: tf.Tensor,
  kind: OutputKind,
): { accuracy: tf.Tensor; error: tf.Tensor } {
  return tf.tidy(() => {
    const R = pred.shape[0] as number;
    if (kind === 'sign') {
      // A prediction of exactly 0 counts as wrong: the learner has not chosen a sign.
      const agree = tf.cast(tf.greater(tf.mul(pred, target), 0), 'float32');
      const accuracy = tf.mean(tf.reshape(agree, [R, -1]), 1);
      return { accuracy, error: tf.sub(1, accuracy) };
    }
    if (kind === 'class') {
      // (R, B, classes): the prediction's argmax against the target's.
      const hit = tf.cast(tf.equal(tf.argMax(pred, -1), tf.argMax(target, -1)), 'float32');
      const accuracy = tf.mean(tf.reshape(hit, [R, -1]), 1);
      return { accuracy, error: tf.sub(1, accuracy) };
    }
    const mse = tf.mean(tf.reshape(tf.square(tf.sub(pred, target)), [R, -1]), 1);
    return { accuracy: tf.fill([R], Number.NaN), error: mse };
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
