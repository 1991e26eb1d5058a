import { describe, expect, it } from 'vitest';
import { benchElimination, plantedSystem } from './bench-elimination.js';
import { solveGf2 } from '../gf2/solve.js';

describe('benchElimination', () => {
  it('times solves of planted systems and checks they recover the secret', () => {
    const results = benchElimination({ sizes: [16, 100], extra: 20, repeats: 3 });
    expect(results.map((r) => [r.n, r.m, r.samples.length, r.rank, r.recovered])).toEqual([
      [16, 36, 3, 16, true],
      [100, 120, 3, 100, true],
    ]);
    for (const r of results) {
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.medianMs).toBeLessThanOrEqual(r.maxMs);
    }
  });

  it('plants a secret that solves every row', () => {
    const { rows, secret } = plantedSystem(45, 60, 1);
    const result = solveGf2(rows, 45);
    expect(result.consistent).toBe(true);
    expect(Array.from(result.solution)).toEqual(Array.from(secret));
  });
});
