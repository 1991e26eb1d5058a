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
  if (pred.length !== y.length || y.length % points !== 0) {
    throw new RangeError(
      `errorByExamples: predictions (${pred.length}) and targets (${y.length}) must both hold N · ${points} values`,
    );
  }
  const n = y.length / points;
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
  const n = tokens.length / (2 * points * dims);
  const out = new Float64Array(n * points);
  for (let p = 0; p < n; p++) {
    const { xs, ys } = readPrompt(tokens, p, points, dims);
    for (let k = 0; k < points; k++)
      out[p * points + k] = learner.predict(xs, ys, k, xs.subarray(k * dims, (k + 1) * dims), dims);
  }
  return out;
}

/** `errorByExamples` of a classical learner on the same prompts the model sees. */
export function learnerErrorByExamples(
  learner: InContextLearner,
  prompts: { x: Float32Array; y: Float32Array },
  points: number,
  dims: number,
  scale = 1,
): Float64Array {
  return errorByExamples(learnerPredictions(learner, prompts.x, points, dims), prompts.y, points, scale);
}
