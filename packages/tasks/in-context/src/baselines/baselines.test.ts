import { createRng } from '@learnability/core';
import { sampleInContextParity } from '@learnability/parity';
import { describe, expect, it } from 'vitest';
import { learnerErrorByExamples } from '../evaluate.js';
import { createInContextTask } from '../in-context-task.js';
import { createAveraging } from './averaging.js';
import { createGf2Elimination, readParityPrompt } from './gf2-elimination.js';
import { createLasso } from './lasso.js';
import { createLeastSquares } from './least-squares.js';
import { createNearestNeighbours } from './nearest-neighbours.js';
import type { InContextLearner } from './learner.js';

const gaussian = (n: number, seed: number) => {
  const v = new Float32Array(n);
  createRng(seed).normals(v);
  return Float64Array.from(v);
};

/** A linear learner's w, read back by predicting at the unit vectors. */
const weightsOf = (learner: InContextLearner, xs: Float64Array, ys: Float64Array, k: number, d: number) =>
  Array.from({ length: d }, (_, j) =>
    learner.predict(
      xs,
      ys,
      k,
      Float64Array.from({ length: d }, (_, i) => (i === j ? 1 : 0)),
      d,
    ),
  );

describe('least squares', () => {
  it('with k < d interpolates the examples with the minimum-norm w (0 off their span)', () => {
    const d = 5;
    const k = 3;
    const xs = gaussian(k * d, 1);
    const ys = gaussian(k, 2);
    const ls = createLeastSquares();
    for (let i = 0; i < k; i++)
      expect(ls.predict(xs, ys, k, xs.subarray(i * d, (i + 1) * d), d)).toBeCloseTo(ys[i] as number, 6);
    // A query orthogonal to every example: Gram–Schmidt a random vector against them.
    const q = gaussian(d, 3);
    const basis: Float64Array[] = [];
    for (let i = 0; i < k; i++) {
      const v = Float64Array.from(xs.subarray(i * d, (i + 1) * d));
      for (const b of basis) {
        const dot = v.reduce((s, x, j) => s + x * (b[j] as number), 0);
        v.forEach((_, j) => (v[j] = (v[j] as number) - dot * (b[j] as number)));
      }
      const norm = Math.hypot(...v);
      basis.push(v.map((x) => x / norm));
    }
    for (const b of basis) {
      const dot = q.reduce((s, x, j) => s + x * (b[j] as number), 0);
      q.forEach((_, j) => (q[j] = (q[j] as number) - dot * (b[j] as number)));
    }
    expect(ls.predict(xs, ys, k, q, d)).toBeCloseTo(0, 8);
  });

  it('with k ≥ d solves the normal equations: noiseless linear data is fitted exactly', () => {
    const d = 4;
    const w = gaussian(d, 4);
    const xs = gaussian(9 * d, 5);
    const ys = Float64Array.from({ length: 9 }, (_, i) =>
      w.reduce((s, wj, j) => s + wj * (xs[i * d + j] as number), 0),
    );
    const got = weightsOf(createLeastSquares(), xs, ys, 9, d);
    got.forEach((v, j) => expect(v).toBeCloseTo(w[j] as number, 8));
  });

  it('is exact from k = d on, the ill-conditioned square systems too (a ridge shrank them by up to 1e-4)', () => {
    const d = 20;
    const task = createInContextTask({ family: 'linear-regression', dims: d, points: 41 });
    const host = task.sampleHost(400, createRng(1));
    const curve = learnerErrorByExamples(createLeastSquares(), host, 41, d, task.errorScale);
    expect(curve[d - 1] as number).toBeGreaterThan(0.01); // one example short: not determined
    // 4.3e-9 here: float32 data, which a square system passes on (the ridge gave 1.2e-4).
    expect(curve[d] as number).toBeLessThan(1e-7);
    expect(curve[d + 1] as number).toBeLessThan(1e-12);
  });

  it('gives 0 weight to a coordinate no example sets (the dims curriculum) and to a repeated example', () => {
    // 6 examples over 4 coordinates, the last one 0 in all of them: w is exact on the first 3, 0 on it.
    const d = 4;
    const w = [0.5, -1, 2];
    const xs = gaussian(6 * d, 6).map((v, i) => (i % d === d - 1 ? 0 : v));
    const ys = Float64Array.from({ length: 6 }, (_, i) =>
      w.reduce((s, wj, j) => s + wj * (xs[i * d + j] as number), 0),
    );
    const got = weightsOf(createLeastSquares(), xs, ys, 6, d);
    [...w, 0].forEach((v, j) => expect(got[j]).toBeCloseTo(v, 10));
    // One example twice, with two labels (rank 2 of 3): least squares fits their mean (a basic
    // solution fitted one copy and ignored the other).
    const unit = (j: number) => Array.from({ length: 3 }, (_, i) => (i === j ? 1 : 0));
    const repeated = Float64Array.from([...unit(0), ...unit(1), ...unit(0)]);
    const w3 = weightsOf(createLeastSquares(), repeated, Float64Array.from([1, 2, 3]), 3, 3);
    w3.forEach((v, j) => expect(v).toBeCloseTo([2, 2, 0][j] as number, 10));
    // k ≥ d with one column twice: the weight is split between them, the least norm.
    const u = gaussian(5, 10);
    const v = gaussian(5, 11);
    const cols = Float64Array.from({ length: 15 }, (_, i) => (i % 3 === 2 ? v : u)[Math.floor(i / 3)] as number);
    const sum = Float64Array.from(u, (x, i) => x + (v[i] as number));
    weightsOf(createLeastSquares(), cols, sum, 5, 3).forEach((x, j) =>
      expect(x).toBeCloseTo([0.5, 0.5, 1][j] as number, 8),
    );
  });
});

describe('other baselines', () => {
  it('averaging is w = (1/k) Σ y_i x_i', () => {
    const xs = Float64Array.from([1, 2, -1, 0.5]);
    const ys = Float64Array.from([2, -4]);
    // w = ((2·[1, 2]) + (−4·[−1, 0.5])) / 2 = [3, 1]
    expect(createAveraging().predict(xs, ys, 2, Float64Array.from([1, 1]), 2)).toBeCloseTo(4, 12);
    expect(createAveraging().predict(xs, ys, 0, Float64Array.from([1, 1]), 2)).toBe(0);
  });

  it('k-NN averages the y of the nearest examples', () => {
    const xs = Float64Array.from([0, 0, 10, 10, 1, 0, 0, 1]);
    const ys = Float64Array.from([1, 100, 2, 3]);
    expect(createNearestNeighbours(3).predict(xs, ys, 4, Float64Array.from([0.2, 0.2]), 2)).toBeCloseTo(2, 12);
    expect(createNearestNeighbours(1).predict(xs, ys, 4, Float64Array.from([9, 9]), 2)).toBe(100);
    expect(createNearestNeighbours(3).predict(xs, ys, 1, Float64Array.from([9, 9]), 2)).toBe(1);
  });

  it('Lasso meets its optimality conditions, equals least squares at α = 0 and is 0 for large α', () => {
    const d = 6;
    const k = 12;
    const xs = gaussian(k * d, 6);
    const ys = gaussian(k, 7);
    const alpha = 0.05;
    // Run to the coordinates' tolerance alone: the default gap tolerance (scikit-learn's) stops within 2e-4 of KKT.
    const w = weightsOf(createLasso({ alpha, gapTolerance: 0 }), xs, ys, k, d);
    // KKT: (1/k) x_jᵀ(y − Xw) = α·sign(w_j) where w_j ≠ 0, and |·| ≤ α where w_j = 0.
    for (let j = 0; j < d; j++) {
      let corr = 0;
      for (let i = 0; i < k; i++)
        corr +=
          (xs[i * d + j] as number) *
          ((ys[i] as number) - w.reduce((s, wl, l) => s + wl * (xs[i * d + l] as number), 0));
      corr /= k;
      if (w[j] !== 0) expect(corr).toBeCloseTo(alpha * Math.sign(w[j] as number), 5);
      else expect(Math.abs(corr)).toBeLessThanOrEqual(alpha + 1e-9);
    }
    expect(w.some((v) => v === 0) && w.some((v) => v !== 0)).toBe(true);
    const ls = weightsOf(createLeastSquares(), xs, ys, k, d);
    weightsOf(createLasso({ alpha: 0, maxSweeps: 10_000, tolerance: 1e-13 }), xs, ys, k, d).forEach((v, j) =>
      expect(v).toBeCloseTo(ls[j] as number, 6),
    );
    expect(weightsOf(createLasso({ alpha: 100 }), xs, ys, k, d)).toEqual(new Array(d).fill(0));
    // Not converged: it said nothing, and predicted from wherever the sweeps stopped.
    const capped = createLasso({ alpha, maxSweeps: 2, tolerance: 0, gapTolerance: 0 });
    expect(() => capped.predict(xs, ys, k, xs.subarray(0, d), d)).toThrow(
      /^lasso: not converged after 2 sweeps \(a coordinate still moved .* > tolerance 0, and the duality gap is above gapTolerance 0 · ‖y‖²\); raise maxSweeps, or a tolerance$/,
    );
    // A misspelt option was ignored: the default α ran under the name the user meant to set.
    expect(() => createLasso({ lambda: 1 } as never)).toThrow(
      'lasso: unknown option "lambda"; known: alpha, maxSweeps, tolerance, gapTolerance',
    );
    // A string or NaN passed the old `alpha >= 0` test and changed the fit without a word.
    expect(() => createLasso({ alpha: '0.1' as never })).toThrow(
      'lasso.alpha must be a finite number ≥ 0, but got "0.1" (a string)',
    );
    expect(() => createLasso({ tolerance: Number.NaN })).toThrow(
      'lasso.tolerance must be a finite number ≥ 0, but got NaN',
    );
    expect(() => createLasso({ tolerance: -1 })).toThrow('lasso.tolerance must be a finite number ≥ 0, but got -1');
    // An option given as undefined takes its default, as destructuring defaults did.
    expect(createLasso({ alpha: undefined }).describe()).toEqual({
      name: 'lasso',
      alpha: 0.01,
      maxSweeps: 100_000,
      tolerance: 1e-8,
      gapTolerance: 1e-4,
    });
  });

  it('beats least squares on sparse linear regression with few examples', () => {
    const task = createInContextTask({ family: 'sparse-linear-regression', dims: 10, points: 8, sparsity: 2 });
    const host = task.sampleHost(200, createRng(8));
    const lasso = learnerErrorByExamples(createLasso({ alpha: 0.01 }), host, 8, 10, task.errorScale);
    const ls = learnerErrorByExamples(createLeastSquares(), host, 8, 10, task.errorScale);
    expect(lasso[7] as number).toBeLessThan(0.5 * (ls[7] as number));
  });

  it('GF(2) elimination solves in-context parity prompts once the examples have rank n', () => {
    const n = 8;
    const m = 20;
    const { x, y } = sampleInContextParity(200, { n, k: 3, examples: m }, createRng(9));
    const gf2 = createGf2Elimination();
    const accuracy = (k: number) => {
      let correct = 0;
      for (let p = 0; p < 200; p++) {
        const { xs, ys, query } = readParityPrompt(x, p, n, m);
        if (gf2.predict(xs, ys, k, query, n) === y[p]) correct++;
      }
      return correct / 200;
    };
    expect(accuracy(m)).toBeGreaterThan(0.98); // rank n with probability ≥ 1 − 2^−12
    expect(accuracy(3)).toBeLessThan(0.8); // 3 equations cannot pin down a parity on 8 bits
  });

  it('every learner refuses k past the examples it was given (it read undefined and predicted NaN), and a short query', () => {
    const xs = gaussian(4, 1); // 2 examples of d = 2
    const ys = gaussian(2, 2);
    const learners = [
      createLeastSquares(),
      createAveraging(),
      createNearestNeighbours(3),
      createLasso(),
      createGf2Elimination(),
    ];
    for (const learner of learners) {
      expect(() => learner.predict(xs, ys, 3, gaussian(2, 3), 2)).toThrow(
        new RegExp(`^${learner.name}\\.predict: k must be an integer in \\[0, 2\\], but got 3$`),
      );
      expect(() => learner.predict(xs, ys, 1, gaussian(1, 3), 2)).toThrow(
        `${learner.name}.predict: the query must hold dims = 2 values, but has 1`,
      );
      // A longer one was read in part.
      expect(() => learner.predict(xs, ys, 1, gaussian(3, 3), 2)).toThrow(
        `${learner.name}.predict: the query must hold dims = 2 values, but has 3`,
      );
    }
    expect(() => createLasso(null as never)).toThrow(
      'lasso: expected a config object, e.g. { alpha: 0.01 }, but got null',
    );
  });

  it('readParityPrompt refuses a layout the prompts were not sampled with, and a prompt past the last', () => {
    const { x } = sampleInContextParity(2, { n: 4, k: 2, examples: 3 }, createRng(1)); // 2 prompts of 4·5 = 20
    expect(readParityPrompt(x, 1, 4, 3).query).toEqual(Float64Array.from(x.subarray(35, 39)));
    expect(() => readParityPrompt(x, 1, 5, 3)).toThrow(
      'readParityPrompt: x must hold one or more whole prompts of (examples + 1)·(n + 1) = 24 numbers, but has 40; pass the n and examples it was sampled with',
    );
    expect(() => readParityPrompt(x, 2, 4, 3)).toThrow('readParityPrompt: p must be an integer in [0, 1], but got 2');
    expect(() => readParityPrompt(x, 0, 0, 3)).toThrow('readParityPrompt: n must be an integer ≥ 1, but got 0');
    expect(() => readParityPrompt(Array.from(x) as never, 0, 4, 3)).toThrow('x must be a Float32Array');
  });

  it('with no examples (k = 0): the regression learners predict 0, GF(2) elimination +1', () => {
    const xs = gaussian(12, 3);
    const ys = gaussian(4, 4);
    const query = gaussian(3, 5);
    const learners = [createLeastSquares(), createLasso(), createNearestNeighbours(3), createAveraging()];
    for (const learner of learners) expect(learner.predict(xs, ys, 0, query, 3)).toBe(0);
    // The empty subset is the solution with every variable 0: its parity is +1 on every input.
    expect(createGf2Elimination().predict(xs.map(Math.sign), ys.map(Math.sign), 0, query.map(Math.sign), 3)).toBe(1);
  });
});
