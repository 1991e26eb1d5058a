import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { consistentSolutionError, eliminationSuccessProbability, samplesForConfidence } from './elimination-theory.js';
import { createGf2Matrix } from './gf2-matrix.js';
import { solveGf2 } from './solve.js';

describe('elimination theory', () => {
  it('has the known values', () => {
    expect(eliminationSuccessProbability(5, 6)).toBe(0);
    expect(eliminationSuccessProbability(1, 1)).toBeCloseTo(0.5, 12);
    expect(eliminationSuccessProbability(2, 2)).toBeCloseTo(0.5 * 0.75, 12);
    expect(eliminationSuccessProbability(3, 2)).toBeCloseTo(0.75 * 0.875, 12);
    expect(eliminationSuccessProbability(1000, 1000)).toBeCloseTo(0.288788, 5);
    expect(eliminationSuccessProbability(0, 0)).toBe(1);
    for (const extra of [0, 1, 5, 20])
      expect(eliminationSuccessProbability(200 + extra, 200)).toBeGreaterThanOrEqual(1 - 2 ** -extra);
    expect(samplesForConfidence(100, 0.01)).toBe(107);
    expect(samplesForConfidence(100, 2 ** -20)).toBe(120);
    expect(consistentSolutionError(10, 10)).toBe(0);
    expect(consistentSolutionError(9, 10)).toBe(0.25);
    expect(consistentSolutionError(0, 10)).toBeCloseTo((1 - 2 ** -10) / 2, 12);
  });

  it('matches Monte Carlo: P[rank n] of m uniform rows, n = 20', () => {
    const n = 20;
    const trials = 6000;
    const rng = createRng(11);
    for (const m of [n, n + 2]) {
      let full = 0;
      for (let t = 0; t < trials; t++) {
        const rows = createGf2Matrix(m, n + 1);
        for (let r = 0; r < m; r++) rows.words[r] = rng.nextUint32() & ((1 << n) - 1);
        if (solveGf2(rows, n).rank === n) full++;
      }
      const p = eliminationSuccessProbability(m, n);
      const sigma = Math.sqrt((p * (1 - p)) / trials);
      expect(Math.abs(full / trials - p), `m = ${m}: ${full / trials} vs ${p}`).toBeLessThan(4 * sigma);
    }
  });
});
