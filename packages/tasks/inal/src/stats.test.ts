import { describe, expect, it } from 'vitest';
import { createRng } from '@learnability/core';
import { kurtosisDof, logLogSlope, meanInterval, normalQuantile, studentQuantile } from './stats.js';

describe('stats', () => {
  it('normal and Student-t quantiles match tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(studentQuantile(0.975, 31)).toBeCloseTo(2.0395, 3);
    expect(studentQuantile(0.975, 7)).toBeCloseTo(2.3646, 2);
  });

  it('meanInterval widens with spread and is NaN for one value', () => {
    const ci = meanInterval([1, 2, 3, 4], 0.95);
    expect(ci.mean).toBe(2.5);
    // t(0.975, 3) = 3.182: the expansion is within 1 % even at 3 degrees of freedom.
    expect((ci.high - ci.mean) / ((3.182 * Math.sqrt(5 / 3)) / 2)).toBeCloseTo(1, 1);
    expect(Number.isNaN(meanInterval([1], 0.95).low)).toBe(true);
  });

  it('kurtosisDof is R − 1 for light tails and falls for heavy ones (Satterthwaite on Var(s²))', () => {
    // Four values 1..4: excess kurtosis 4·Σd⁴/(Σd²)² − 3 = 4·20.5/25 − 3 < 0 → R − 1.
    expect(kurtosisDof([1, 2, 3, 4])).toBe(3);
    // One outlier among 16: g₂ = 16·Σd⁴/(Σd²)² − 3, df = 2/(2/15 + g₂/16), by hand.
    const values = [...new Array<number>(15).fill(0), 1];
    const mean = 1 / 16;
    const m2 = 15 * mean ** 2 + (1 - mean) ** 2;
    const m4 = 15 * mean ** 4 + (1 - mean) ** 4;
    const g2 = (16 * m4) / m2 ** 2 - 3;
    expect(kurtosisDof(values)).toBeCloseTo(Math.max(2, 2 / (2 / 15 + g2 / 16)), 12);
    expect(kurtosisDof(values)).toBeLessThan(3);
  });

  it('meanInterval covers the mean of a skewed, heavy-tailed law about as often as it says (χ²₁, R = 16)', () => {
    // 2,000 repeats of 16 draws of Z²: the plain t-interval covers E = 1 less often than 95 %.
    const rng = createRng(21);
    let plain = 0;
    let adjusted = 0;
    const repeats = 2000;
    for (let t = 0; t < repeats; t++) {
      const v = Array.from({ length: 16 }, () => rng.normal() ** 2);
      const ci = meanInterval(v, 0.95);
      const tPlain = studentQuantile(0.975, 15) * ci.stderr;
      if (Math.abs(ci.mean - 1) <= tPlain) plain++;
      if (ci.low <= 1 && 1 <= ci.high) adjusted++;
    }
    expect(plain / repeats).toBeLessThan(0.92);
    expect(adjusted / repeats).toBeGreaterThan(plain / repeats + 0.01);
  });

  it('logLogSlope recovers a power law and skips non-positive points', () => {
    const points = [8, 16, 32, 64].map((x) => ({ x, y: 3 * x ** -2.5 }));
    const fit = logLogSlope([...points, { x: 128, y: -1 }, { x: 256, y: 0 }]);
    expect(fit?.slope).toBeCloseTo(-2.5, 12);
    expect(fit?.used).toBe(4);
    expect(logLogSlope([{ x: 8, y: 1 }])).toBeNull();
  });
});
