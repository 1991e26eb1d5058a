import { assert, assertInt } from '@learnability/core';
import { createEliminationLearner } from '@learnability/parity';
import type { InContextLearner } from './learner.js';
import { checkPredictArgs } from './learner.js';

/**
 * GF(2) Gaussian elimination as an in-context learner for parity prompts (docs/papers.md §1): the k
 * examples x ∈ {±1}^d, y ∈ {±1} are k linear equations over GF(2); it predicts the query with a
 * solution consistent with them (free variables 0), exact once they have rank d.
 * Uses `@learnability/parity`'s bit-packed elimination learner.
 */
export function createGf2Elimination(): InContextLearner {
  return {
    name: 'gf2-elimination',
    predict(xs, ys, k, query, dims) {
      checkPredictArgs('gf2-elimination', xs, ys, k, query, dims);
      const learner = createEliminationLearner({ n: dims });
      if (k > 0) learner.observe(Float32Array.from(xs.subarray(0, k * dims)), Float32Array.from(ys.subarray(0, k)));
      return learner.predict(Float32Array.from(query.subarray(0, dims)))[0] as number;
    },
    describe: () => ({ name: 'gf2-elimination' }),
  };
}

/**
 * Prompt `p` of `@learnability/parity`'s in-context parity layout ((m + 1) rows of n bits and a
 * label, the last row the query with label 0) as examples xs (m · n), ys (m) and the query (n).
 * `x` holds whole prompts of (m + 1)(n + 1) numbers each, as `sampleInContextParity` lays them out.
 */
export function readParityPrompt(
  x: Float32Array,
  p: number,
  n: number,
  examples: number,
): { xs: Float64Array; ys: Float64Array; query: Float64Array } {
  assert(
    x instanceof Float32Array,
    'readParityPrompt: x must be a Float32Array of prompts (sampleInContextParity(…).x)',
  );
  assertInt('readParityPrompt: n', n, 1);
  assertInt('readParityPrompt: examples', examples, 0);
  const cols = n + 1;
  const size = (examples + 1) * cols;
  assert(
    x.length > 0 && x.length % size === 0,
    () =>
      `readParityPrompt: x must hold one or more whole prompts of (examples + 1)·(n + 1) = ${size} numbers, but has ${x.length}; pass the n and examples it was sampled with`,
  );
  assertInt('readParityPrompt: p', p, 0, x.length / size - 1);
  const base = p * size;
  const xs = new Float64Array(examples * n);
  const ys = new Float64Array(examples);
  for (let row = 0; row < examples; row++) {
    for (let j = 0; j < n; j++) xs[row * n + j] = x[base + row * cols + j] as number;
    ys[row] = x[base + row * cols + n] as number;
  }
  const query = Float64Array.from(x.subarray(base + examples * cols, base + examples * cols + n));
  return { xs, ys, query };
}
