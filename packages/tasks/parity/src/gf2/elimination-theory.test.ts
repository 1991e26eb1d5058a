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
    expect(samplesForConfidence(100, 1)).toBe(100);
    expect(() => samplesForConfidence(100, 1.5)).toThrow('samplesForConfidence: delta must be in (0, 1], but got 1.5');
    expect(consistentSolutionError(10, 10)).toBe(0);
    expect(consistentSolutionError(9, 10)).toBe(0.25);
    expect(consistentSolutionError(0, 10)).toBeCloseTo((1 - 2 ** -10) / 2, 12);
    // A k-subset S: (1 − C(r, k)/C(n, k))/2.
    expect(consistentSolutionError(49, 50, 3)).toBeCloseTo((1 - 47 / 50) / 2, 12);
    expect(consistentSolutionError(10, 10, 4)).toBe(0);
    expect(consistentSolutionError(2, 10, 3)).toBe(0.5);
    expect(consistentSolutionError(7, 10, 0)).toBe(0);
    expect(() => consistentSolutionError(7, 10, 11)).toThrow('need an integer 0 ≤ k ≤ n = 10, but got k = 11');
  });

  it('matches Monte Carlo: the error of the returned solution by rank, for a uniform S and a k-subset S', () => {
    // n = 10, m = 8 rows: rank ≤ 8, so some columns are always free. Per trial, the solution errs
    // on exactly half the inputs unless it is S: the mean of ½·[solution ≠ S] by rank.
    const [n, m, trials] = [10, 8, 4000];
    const rng = createRng(12);
    for (const k of [undefined, 2, 5]) {
      const byRank = new Map<number, { trials: number; wrong: number }>();
      for (let t = 0; t < trials; t++) {
        const s = new Uint8Array(n);
        if (k === undefined) for (let i = 0; i < n; i++) s[i] = rng.nextUint32() & 1;
        else for (const i of rng.subset(n, k)) s[i] = 1;
        const rows = createGf2Matrix(m, n + 1);
        for (let r = 0; r < m; r++) {
          const x = rng.nextUint32() & ((1 << n) - 1);
          let label = 0;
          for (let i = 0; i < n; i++) label ^= (x >>> i) & 1 & (s[i] as number);
          rows.words[r] = x | (label << n);
        }
        const { rank, solution } = solveGf2(rows, n);
        const cell = byRank.get(rank) ?? { trials: 0, wrong: 0 };
        cell.trials++;
        if (solution.some((v, i) => v !== s[i])) cell.wrong++;
        byRank.set(rank, cell);
      }
      for (const [rank, cell] of byRank) {
        if (cell.trials < 200) continue;
        const p = 2 * consistentSolutionError(rank, n, k);
        const sigma = Math.sqrt((p * (1 - p)) / cell.trials);
        expect(
          Math.abs(cell.wrong / cell.trials - p),
          `k = ${k}, rank ${rank}: ${cell.wrong}/${cell.trials} vs ${p}`,
        ).toBeLessThan(4 * sigma + 1e-9);
      }
      expect(
        [...byRank.values()].filter((c) => c.trials >= 200).length,
        `k = ${k}: ranks with 200 trials`,
      ).toBeGreaterThanOrEqual(2);
    }
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
