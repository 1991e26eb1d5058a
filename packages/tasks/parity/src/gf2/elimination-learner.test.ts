import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { sampleParity } from '../parity-sampling.js';
import { createEliminationLearner } from './elimination-learner.js';
import { packParitySamples } from './gf2-matrix.js';
import { solveGf2 } from './solve.js';

describe('createEliminationLearner', () => {
  it('learns a sparse parity exactly once the rank reaches n, and then predicts perfectly', () => {
    const n = 100;
    const subset = createRng(1).subset(n, 7);
    const learner = createEliminationLearner({ n });
    const rng = createRng(2);
    let done = false;
    while (!done) {
      const { x, y } = sampleParity(16, n, subset, {}, rng);
      done = learner.observe(x, y);
    }
    expect(learner.rank).toBe(n);
    expect(learner.settledAtSample).not.toBeNull();
    expect(learner.settledAtSample as number).toBeGreaterThanOrEqual(n);
    expect(learner.settledAtSample as number).toBeLessThan(n + 30);
    expect(learner.samplesSeen).toBe(Math.ceil((learner.settledAtSample as number) / 16) * 16);
    const s = learner.solution();
    expect([...s.keys()].filter((i) => s[i] === 1)).toEqual(subset);
    const test = sampleParity(500, n, subset, {}, createRng(3));
    expect(learner.accuracy(test.x, test.y)).toBe(1);
  });

  it('gives the same rank and solution as a batch solve of the same rows, at every prefix', () => {
    for (const [n, k, encoding] of [
      [37, 5, 'pm1'],
      [64, 64, '01'],
      [96, 3, 'pm1'],
    ] as const) {
      const subset = createRng(n).subset(n, k);
      const { x, y } = sampleParity(n + 10, n, subset, { encoding }, createRng(n + 1));
      const learner = createEliminationLearner({ n, encoding });
      for (const prefix of [5, Math.floor(n / 2), n - 3, n, n + 10]) {
        const seen = learner.samplesSeen;
        learner.observe(x.subarray(seen * n, prefix * n), y.subarray(seen, prefix));
        const batch = solveGf2(packParitySamples(x.subarray(0, prefix * n), y.subarray(0, prefix), n, encoding), n);
        if (learner.settledAtSample === null || prefix === learner.settledAtSample) {
          expect(learner.rank, `n=${n} prefix ${prefix}`).toBe(batch.rank);
        }
        if (learner.settledAtSample === null) {
          // Both are consistent solutions with free variables 0 over the same pivot columns.
          expect(Array.from(learner.solution()), `n=${n} prefix ${prefix}`).toEqual(Array.from(batch.solution));
        }
      }
    }
  });

  it('for a dense subset (15 of 30 bits), has accuracy near 1/2 + ½·2^(r−n) before full rank (error (1 − 2^(r−n))/2 on average over subsets)', () => {
    const n = 30;
    const learner = createEliminationLearner({ n });
    const subset = createRng(4).subset(n, 15);
    const train = sampleParity(20, n, subset, {}, createRng(5));
    learner.observe(train.x, train.y);
    expect(learner.rank).toBe(20);
    expect(learner.settledAtSample).toBeNull();
    const test = sampleParity(4000, n, subset, {}, createRng(6));
    const acc = learner.accuracy(test.x, test.y);
    expect(Math.abs(acc - 0.5)).toBeLessThan(0.05);
  });

  it('for a sparse subset (3 of 50 bits), is often exact before full rank: why only rank n counts as learned', () => {
    const n = 50;
    const subset = createRng(0).subset(n, 3);
    const test = sampleParity(2000, n, subset, {}, createRng(1));
    const learner = createEliminationLearner({ n });
    const stream = createRng(2);
    // Free variables are set to 0, so once no free column lies in the subset, the solution is the subset.
    let exactAtRank = -1;
    while (learner.settledAtSample === null) {
      const { x, y } = sampleParity(1, n, subset, {}, stream);
      learner.observe(x, y);
      if (exactAtRank < 0 && learner.accuracy(test.x, test.y) === 1) exactAtRank = learner.rank;
    }
    expect(exactAtRank).toBeGreaterThan(0);
    expect(exactAtRank).toBeLessThan(n);
  });

  it('refuses 0/1 labels, and inputs of the other encoding, instead of solving another system', () => {
    // 0/1 labels read as ±1 would make every label bit 0: a consistent, full-rank, wrong solution.
    const x = Float32Array.from([1, -1, -1, 1, 1, 1]);
    expect(() => createEliminationLearner({ n: 3 }).observe(x, Float32Array.from([0, 1]))).toThrow(
      'parity sample 0: the label is 0, but labels are ±1; map 0/1 labels with y = 1 − 2·bit',
    );
    expect(() => packParitySamples(Float32Array.from([1, 0, 1]), Float32Array.from([1]), 3)).toThrow(
      "parity sample 0: x[1] = 0, but the 'pm1' encoding takes ±1 (pass encoding: '01' for 0/1 inputs)",
    );
    expect(() => createEliminationLearner({ n: 3, encoding: '01' }).observe(x, Float32Array.from([1, -1]))).toThrow(
      "parity sample 0: x[1] = -1, but the '01' encoding takes 0 or 1 (pass encoding: 'pm1' for ±1 inputs)",
    );
  });

  it('a batch with one bad row is refused whole: the rows before it are not absorbed, nor counted', () => {
    const learner = createEliminationLearner({ n: 2 });
    expect(() => learner.observe(Float32Array.from([1, -1, -1, 1]), Float32Array.from([1, 0]))).toThrow(
      'parity sample 1: the label is 0',
    );
    expect([learner.samplesSeen, learner.rank]).toEqual([0, 0]);
    expect(learner.observe(Float32Array.from([1, -1, -1, 1]), Float32Array.from([1, -1]))).toBe(true);
    expect([learner.samplesSeen, learner.rank, learner.settledAtSample]).toEqual([2, 2, 2]);
  });

  it('predict refuses inputs that are no whole number of rows of n', () => {
    expect(() => createEliminationLearner({ n: 5 }).predict(new Float32Array(2))).toThrow(
      'eliminationLearner.predict: x has 2 entries, not a multiple of n = 5 (rows of n inputs)',
    );
  });

  it('is not noise-robust: flipped labels give inconsistent samples or a wrong solution', () => {
    const n = 40;
    const subset = createRng(7).subset(n, 4);
    const learner = createEliminationLearner({ n });
    const { x, y } = sampleParity(200, n, subset, { noise: 0.2 }, createRng(8));
    learner.observe(x, y);
    expect(learner.inconsistentSamples).toBeGreaterThan(0);
    const s = learner.solution();
    expect([...s.keys()].filter((i) => s[i] === 1)).not.toEqual(subset);
  });

  it('after full rank checks every new example against its solution: none contradict clean labels', () => {
    const n = 48;
    const subset = createRng(11).subset(n, 3);
    const learner = createEliminationLearner({ n });
    const { x, y } = sampleParity(2_000, n, subset, {}, createRng(12));
    expect(learner.observe(x, y)).toBe(true);
    expect(learner.counts()).toEqual({ rank: n, inconsistentSamples: 0 });
    expect(learner.diagnosis()).toBeNull();
  });

  it('with label noise 0.1 it settles on a wrong parity, then counts the examples that contradict it and names label noise', () => {
    const n = 48;
    const subset = createRng(11).subset(n, 3);
    const learner = createEliminationLearner({ n });
    const first = sampleParity(60, n, subset, { noise: 0.1 }, createRng(13));
    learner.observe(first.x, first.y);
    expect(learner.rank).toBe(n);
    const settledAt = learner.settledAtSample as number;
    const before = learner.inconsistentSamples;
    // 2,000 more examples: a wrong parity disagrees with half the labels (noisy or not).
    const more = sampleParity(2_000, n, subset, { noise: 0.1 }, createRng(14));
    expect(learner.observe(more.x, more.y)).toBe(true);
    expect(learner.settledAtSample).toBe(settledAt);
    const after = learner.inconsistentSamples - before;
    expect(after).toBeGreaterThan(900);
    expect(after).toBeLessThan(1_100);
    expect(learner.diagnosis()).toBe('the samples are inconsistent (label noise?)');
    const test = sampleParity(2_000, n, subset, {}, createRng(15));
    expect(Math.abs(learner.accuracy(test.x, test.y) - 0.5)).toBeLessThan(0.05);
  });

  it('checks its inputs', () => {
    expect(() => createEliminationLearner({ n: 0 })).toThrow(
      /gf2-elimination.n: expected an integer in \[1, 1048576\]/,
    );
    // n from plain JS: required, though configs get it from their task (the schema's default is theirs).
    for (const config of [{}, undefined])
      expect(() => createEliminationLearner(config as never)).toThrow(
        "gf2-elimination.n: the stream's input bits are required, e.g. createEliminationLearner({ n: 50 })",
      );
    // A misspelt option from JavaScript or a parsed file (TypeScript rejects it at compile time).
    expect(() => createEliminationLearner(JSON.parse('{"n": 4, "encodng": "01"}'))).toThrow(
      'gf2-elimination.encodng: unknown option "encodng"; did you mean "encoding"?',
    );
    const learner = createEliminationLearner({ n: 4 });
    expect(() => learner.observe(new Float32Array(7), new Float32Array(2))).toThrow(/expected 2 · n = 8/);
    expect(learner.describe()).toEqual({ name: 'gf2-elimination', n: 4, encoding: 'pm1' });
  });

  it('continues from its saved state (through JSON) exactly as an uninterrupted learner, and rejects a state that does not fit', () => {
    const n = 70;
    const subset = createRng(5).subset(n, 4);
    const { x, y } = sampleParity(120, n, subset, {}, createRng(6));
    const straight = createEliminationLearner({ n });
    straight.observe(x, y);
    const first = createEliminationLearner({ n });
    first.observe(x.subarray(0, 40 * n), y.subarray(0, 40));
    const resumed = createEliminationLearner({ n });
    resumed.restoreState(JSON.parse(JSON.stringify(first.saveState())));
    expect(resumed.rank).toBe(first.rank);
    resumed.observe(x.subarray(40 * n), y.subarray(40));
    expect([resumed.rank, resumed.samplesSeen, resumed.settledAtSample, resumed.inconsistentSamples]).toEqual([
      straight.rank,
      straight.samplesSeen,
      straight.settledAtSample,
      straight.inconsistentSamples,
    ]);
    expect(Array.from(resumed.solution())).toEqual(Array.from(straight.solution()));
    const test = sampleParity(300, n, subset, {}, createRng(7));
    expect(resumed.accuracy(test.x, test.y)).toBe(1);
    expect(() => createEliminationLearner({ n: 71 }).restoreState(first.saveState())).toThrow(
      'gf2-elimination: the saved state does not fit a learner with n = 71',
    );
  });
});
