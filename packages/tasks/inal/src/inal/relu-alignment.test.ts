import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { reluKernel, reluParityAlignment } from './relu-alignment.js';

describe('reluParityAlignment (the closed form)', () => {
  it('equals a direct Monte Carlo over Gaussian weights, exact over x, for |S| = 1, 2', () => {
    const n = 6;
    const draws = 40_000;
    const rng = createRng(12);
    for (const s2 of [0, 1 / n, 1]) {
      for (const k of [1, 2]) {
        let sum = 0;
        let sumSq = 0;
        const w = new Float64Array(n);
        for (let t = 0; t < draws; t++) {
          for (let i = 0; i < n; i++) w[i] = rng.normal() / Math.sqrt(n);
          const b = Math.sqrt(s2) * rng.normal();
          let c = 0;
          for (let x = 0; x < 2 ** n; x++) {
            let z = b;
            let chi = 1;
            for (let i = 0; i < n; i++) {
              const xi = (x >> i) & 1 ? -1 : 1;
              z += (w[i] as number) * xi;
              if (i < k) chi *= xi;
            }
            c += (chi * Math.max(0, z)) / 2 ** n;
          }
          sum += c * c;
          sumSq += c ** 4;
        }
        const mean = sum / draws;
        const se = Math.sqrt((sumSq / draws - mean * mean) / draws);
        expect(Math.abs(mean - reluParityAlignment(n, k, s2)), `k=${k} s²=${s2}: ${mean} ± ${se}`).toBeLessThan(3.5 * se);
        expect(se / mean).toBeLessThan(0.02);
      }
    }
  });

  it('has the large-n limits n^−k (E σ^(k)(Z))²: 1/(4n), 1/(2πn²), and 0 for odd k ≥ 3 without bias', () => {
    const n = 400;
    expect(reluParityAlignment(n, 1, 0)).toBeCloseTo(1 / (4 * n), 12);
    expect(reluParityAlignment(n, 2, 0) * 2 * Math.PI * n * n).toBeCloseTo(1, 2);
    expect(Math.abs(reluParityAlignment(n, 3, 0))).toBeLessThan(1e-15);
    expect(reluParityAlignment(n, 3, 1 / n)).toBeGreaterThan(0);
    expect(() => reluParityAlignment(4, 5, 0)).toThrow('reluParityAlignment: need integers 0 ≤ k ≤ n');
  });

  it('the kernel is E[σ(u)²] = (1 + s²)/2 at ρ = 1 and 0 at ρ = −1 without bias', () => {
    expect(reluKernel(1, 0)).toBeCloseTo(0.5, 14);
    expect(reluKernel(1, 1)).toBeCloseTo(1, 14);
    expect(reluKernel(-1, 0)).toBeCloseTo(0, 14);
  });
});
