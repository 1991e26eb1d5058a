import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { krawtchoukBig, binomialBig } from '../krawtchouk.js';
import { krawtchoukColumn, reluKernel, reluParityAlignment } from './relu-alignment.js';

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
        expect(Math.abs(mean - reluParityAlignment(n, k, s2)), `k=${k} s²=${s2}: ${mean} ± ${se}`).toBeLessThan(
          3.5 * se,
        );
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

  it('is correct to 1e-6 relative at k = n = 64, where the terms cancel by 23 orders of magnitude', () => {
    // 80-digit mpmath on the same sum: /usr/bin/python3 bench/relu_alignment_mpmath.py
    const exact: [number, number][] = [
      [0, 2.76659799785023e-24],
      [1 / 64, 1.38034276622569e-24],
      [1, 9.78420925695825e-25],
    ];
    for (const [s2, value] of exact) {
      expect(Math.abs(reluParityAlignment(64, 64, s2) / value - 1), `s² = ${s2}`).toBeLessThan(1e-6);
    }
  });

  it('is finite and correct at n = 4,096 (2^n overflows a float64)', () => {
    const exact: [number, number][] = [
      [1, 4.45970220406583e-13],
      [1 / 4096, 5.65639149881837e-16],
    ];
    for (const [s2, value] of exact) {
      const got = reluParityAlignment(4096, 3, s2);
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got / value - 1), `s² = ${s2}`).toBeLessThan(1e-6);
    }
  });

  it('its integer weights K_m(k; n) = C(n,m) K_k(m; n) / C(n,k) (Krawtchouk symmetry)', () => {
    for (const [n, k] of [
      [7, 3],
      [12, 12],
      [20, 5],
      [9, 0],
    ] as const) {
      const column = krawtchoukColumn(k, n);
      for (let m = 0; m <= n; m++)
        expect(column[m]).toBe((binomialBig(n, m) * krawtchoukBig(k, m, n)) / binomialBig(n, k));
    }
  });
});
