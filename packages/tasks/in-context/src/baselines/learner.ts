import { assert, assertInt } from '@learnability/core';

/**
 * A classical in-context learner: from the first k examples of a prompt it predicts y at a
 * query — the algorithms a trained transformer is compared with (Garg et al. 2022).
 */
export interface InContextLearner {
  readonly name: string;
  /**
   * xs (≥ k · d, row-major) and ys (≥ k): the prompt's examples, of which the first k are used;
   * query (d) → the prediction. k = 0 must work (the regression learners here then predict 0;
   * GF(2) elimination +1, the parity of the empty subset).
   */
  predict(xs: Float64Array, ys: Float64Array, k: number, query: Float64Array, dims: number): number;
  describe(): Record<string, unknown>;
}

/** ⟨w, x⟩ for x read from `xs` at row `row`. */
export function dotRow(w: Float64Array, xs: Float64Array, row: number, dims: number): number {
  let s = 0;
  for (let j = 0; j < dims; j++) s += (w[j] as number) * (xs[row * dims + j] as number);
  return s;
}

/**
 * Throws, in one line naming the learner, unless the first k examples and the query are there:
 * past the end of xs or ys a learner read undefined and predicted NaN.
 */
export function checkPredictArgs(
  name: string,
  xs: Float64Array,
  ys: Float64Array,
  k: number,
  query: Float64Array,
  dims: number,
): void {
  // Called once per prediction (N · P of them per curve): the common case passes before any message is built.
  const whole = Number.isInteger(dims) && dims >= 1 && Number.isInteger(k) && k >= 0;
  if (whole && k <= ys.length && k * dims <= xs.length && query.length === dims) return;
  assertInt(`${name}.predict: dims`, dims, 1);
  assertInt(`${name}.predict: k`, k, 0, Math.min(ys.length, Math.floor(xs.length / dims)));
  // A longer query was read in part: its first dims values, and the rest ignored.
  assert(
    query.length === dims,
    () => `${name}.predict: the query must hold dims = ${dims} values, but has ${query.length}`,
  );
}
