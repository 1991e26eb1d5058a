import * as tf from '@tensorflow/tfjs-core';
import { assert, assertInt, assertShape, showValue } from '@learnability/core';
import type { InContextLearner } from './baselines/learner.js';
import { readPrompt } from './prompt-layout.js';

/**
 * Error by number of in-context examples: entry k is the mean over prompts of (ŷ_k − y_k)² / scale,
 * where ŷ_k is the prediction at x token k (after k examples). pred and y are (N · P) row-major.
 * With scale = the task's `errorScale` this is the paper's normalised error (predicting 0 scores ≈ 1).
 */
export function errorByExamples(
  pred: ArrayLike<number>,
  y: ArrayLike<number>,
  points: number,
  scale = 1,
): Float64Array {
  checkSizes('errorByExamples', points, 1, scale);
  if (pred.length !== y.length || y.length % points !== 0) {
    throw new RangeError(
      `errorByExamples: predictions (${pred.length}) and targets (${y.length}) must both hold N · ${points} values`,
    );
  }
  const n = y.length / points;
  // A mean over no prompts is NaN at every k.
  assert(n > 0, 'errorByExamples: no prompts (predictions and targets are empty); give at least one');
  const out = new Float64Array(points);
  for (let p = 0; p < n; p++)
    for (let k = 0; k < points; k++)
      out[k] = (out[k] as number) + ((pred[p * points + k] as number) - (y[p * points + k] as number)) ** 2;
  return out.map((s) => s / n / scale);
}

/** A classical learner's predictions on interleaved prompts (N · 2P · d): (N · P), entry k from the first k examples. */
export function learnerPredictions(
  learner: InContextLearner,
  tokens: Float32Array,
  points: number,
  dims: number,
): Float64Array {
  checkSizes('learnerPredictions', points, dims);
  const n = tokens.length / (2 * points * dims);
  assert(tokens.length > 0, 'learnerPredictions: no prompts (tokens is empty); give at least one');
  assert(
    Number.isInteger(n),
    () =>
      `learnerPredictions: tokens (${tokens.length} values) must hold N · 2 · points · dims = N · ${2 * points * dims} values; pass the task's points and dims`,
  );
  const out = new Float64Array(n * points);
  for (let p = 0; p < n; p++) {
    const { xs, ys } = readPrompt(tokens, p, points, dims);
    for (let k = 0; k < points; k++)
      out[p * points + k] = learner.predict(xs, ys, k, xs.subarray(k * dims, (k + 1) * dims), dims);
  }
  return out;
}

/** Throws, in one line naming `caller`, unless points and dims are whole and ≥ 1 and scale is finite and > 0. */
function checkSizes(caller: string, points: number, dims: number, scale = 1): void {
  assertInt(`${caller}: points`, points, 1);
  assertInt(`${caller}: dims`, dims, 1);
  assert(
    typeof scale === 'number' && Number.isFinite(scale) && scale > 0,
    () => `${caller}: scale must be a finite number > 0 (the task's errorScale), but got ${showValue(scale)}`,
  );
}

/**
 * Throws, in one line naming `caller`, unless the sizes are valid (`checkSizes`) and the host prompts
 * fit `points` and `dims`: y holds N · P values and x N · 2P · d, for some whole N.
 */
function checkPrompts(
  caller: string,
  prompts: { x: ArrayLike<number>; y: ArrayLike<number> },
  points: number,
  dims: number,
  scale = 1,
): void {
  checkSizes(caller, points, dims, scale);
  // A batch of tensors (task.sample) has no lengths: it read as "undefined values".
  const host = (a: unknown) => typeof (a as ArrayLike<number> | null)?.length === 'number';
  assert(
    host(prompts?.x) && host(prompts?.y),
    () =>
      `${caller}: prompts must be host arrays { x, y }, as task.sampleHost(count, rng) gives them (or a batch's .host), but got ${prompts?.x instanceof tf.Tensor ? 'tensors' : showValue(prompts)}`,
  );
  const n = prompts.y.length / points;
  const want = n * 2 * points * dims;
  if (!Number.isInteger(n) || prompts.x.length !== want)
    throw new RangeError(
      `${caller}: prompts.y (${prompts.y.length} values) must hold N · points and prompts.x (${prompts.x.length}) N · 2 · points · dims, with points = ${points} and dims = ${dims}${Number.isInteger(n) ? ` (N = ${n}: x should hold ${want})` : ''}; pass the task's points and dims`,
    );
  assert(n > 0, () => `${caller}: no prompts (prompts.x and prompts.y are empty); draw at least one`);
}

/** `errorByExamples` of a classical learner on the same prompts the model sees. */
export function learnerErrorByExamples(
  learner: InContextLearner,
  prompts: { x: Float32Array; y: Float32Array },
  points: number,
  dims: number,
  scale = 1,
): Float64Array {
  checkPrompts('learnerErrorByExamples', prompts, points, dims, scale);
  return errorByExamples(learnerPredictions(learner, prompts.x, points, dims), prompts.y, points, scale);
}

/**
 * `errorByExamples` of a network on host prompts x (N · 2P · d), y (N · P), fed `chunk` prompts at a
 * time (bounds memory). `predict` maps a (1, n, 2P, d) batch (one replica) to a (1, n, P) tensor of
 * predictions, or to several (a looped model's, one per loop); they are freed here. One curve per
 * output of `predict`, in its order.
 */
export async function modelErrorByExamples(
  predict: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[],
  prompts: { x: Float32Array; y: Float32Array },
  points: number,
  dims: number,
  scale = 1,
  chunk = 200,
): Promise<Float64Array[]> {
  checkPrompts('modelErrorByExamples', prompts, points, dims, scale);
  assertInt('modelErrorByExamples: chunk', chunk, 1);
  const count = prompts.y.length / points;
  const size = 2 * points * dims;
  const outputs: Float32Array[] = [];
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const x = tf.tensor4d(prompts.x.subarray(start * size, (start + n) * size), [1, n, 2 * points, dims]);
    let preds: tf.Tensor[];
    try {
      preds = [tf.tidy(() => predict(x))].flat();
    } finally {
      x.dispose();
    }
    try {
      // An output missing from a chunk kept zeros for its prompts, scored as predictions of 0.
      assert(
        start === 0 || preds.length === outputs.length,
        () =>
          `modelErrorByExamples: predict gave ${outputs.length} output(s) on the first ${chunk} prompts but ${preds.length} on prompts from ${start}; give the same outputs for every batch`,
      );
      for (const [i, p] of preds.entries()) {
        assertShape(`modelErrorByExamples: predict's output ${i}`, p.shape, [1, n, points]);
        outputs[i] ??= new Float32Array(count * points);
        (outputs[i] as Float32Array).set((await p.data()) as Float32Array, start * points);
      }
    } finally {
      tf.dispose(preds);
    }
  }
  return outputs.map((pred) => errorByExamples(pred, prompts.y, points, scale));
}
