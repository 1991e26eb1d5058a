import { describe, expect, it } from 'vitest';
import { createRng } from '@learnability/core';
import {
  kurtosisDof,
  logLogSlope,
  meanInterval,
  normalQuantile,
  studentCdf,
  studentQuantile,
  weightedLogLogSlope,
} from './stats.js';

describe('stats', () => {
  it('normal and Student-t quantiles match tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('Student-t quantiles equal scipy.stats.t.ppf to 1e-10, whole and fractional df, 1 and 2 included', () => {
    // [p, df, scipy 1.17.1's t.ppf(p, df)]
    const table = [
      [0.975, 1, 12.706204736174694],
      [0.975, 2, 4.302652729749462],
      [0.975, 2.5, 3.5746548420036817],
      [0.975, 3, 3.1824463052837078],
      [0.975, 7, 2.364624251592784],
      [0.975, 31, 2.039513446396408],
      [0.995, 1.3, 26.057551633213905],
      [0.6, 2.2, 0.2853915458883041],
    ] as const;
    for (const [p, df, want] of table) {
      expect(Math.abs(studentQuantile(p, df) / want - 1), `t(${p}, ${df})`).toBeLessThan(1e-10);
      expect(studentQuantile(1 - p, df)).toBeCloseTo(-studentQuantile(p, df), 12);
    }
    expect(studentQuantile(0.5, 4)).toBe(0);
    // Closed forms: df = 1 is Cauchy, tan(π(p − ½)); df = 2 is (2p − 1)/√(2p(1 − p)).
    expect(studentQuantile(0.9, 1)).toBeCloseTo(Math.tan(Math.PI * 0.4), 11);
    expect(studentQuantile(0.9, 2)).toBeCloseTo(0.8 / Math.sqrt(2 * 0.9 * 0.1), 11);
  });

  it("studentCdf equals Simpson's rule on t's density, in the tails too", () => {
    const df = 2.5;
    const density = (t: number) => (1 + (t * t) / df) ** (-(df + 1) / 2); // unnormalised
    // ∫₀^t density, as ∫₀^atan(t) density(tan u) / cos²u du: finite for t = ∞ too.
    const mass = (t: number) => {
      const [n, end] = [200_000, Math.atan(t)];
      const f = (u: number) => (u >= Math.PI / 2 ? 0 : density(Math.tan(u)) / Math.cos(u) ** 2);
      let sum = f(0) + f(end);
      for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f((i * end) / n);
      return (sum * end) / (3 * n);
    };
    const half = mass(Number.POSITIVE_INFINITY);
    for (const t of [0.3, 1, 3.5, 12, 80]) {
      const inside = (0.5 * mass(t)) / half; // P(0 < T < t)
      expect(studentCdf(t, df), `t = ${t}`).toBeCloseTo(0.5 + inside, 9);
      expect(studentCdf(-t, df), `t = −${t}`).toBeCloseTo(0.5 - inside, 9);
    }
  });

  it('meanInterval widens with spread and is NaN for one value', () => {
    const ci = meanInterval([1, 2, 3, 4], 0.95);
    expect(ci.mean).toBe(2.5);
    // t(0.975, 3) = 3.182446 times the standard error √(5/3)/2.
    expect((ci.high - ci.mean) / ((3.182446 * Math.sqrt(5 / 3)) / 2)).toBeCloseTo(1, 6);
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

  it('kurtosisDof never exceeds R − 1: two inits give the plain t-interval, which covers as often as it says', () => {
    expect(kurtosisDof([1, 3])).toBe(1);
    expect(meanInterval([1, 3], 0.95).dof).toBe(1);
    // 20,000 pairs of N(0, 1) draws: the 95 % interval covers the mean 0 in 95 % of them (it covered
    // 86 % with 2 degrees of freedom, t = 4.30 instead of 12.71).
    const rng = createRng(5);
    let covered = 0;
    const repeats = 20_000;
    for (let t = 0; t < repeats; t++) {
      const ci = meanInterval([rng.normal(), rng.normal()], 0.95);
      if (ci.low <= 0 && 0 <= ci.high) covered++;
    }
    expect(covered / repeats).toBeGreaterThan(0.94);
    expect(covered / repeats).toBeLessThan(0.96);
  });

  it('meanInterval covers the mean of a skewed, heavy-tailed law more often than the plain t-interval, though still below 95 % (χ²₁, R = 16)', () => {
    // 2,000 repeats of 16 draws of Z²: the plain t-interval covers E = 1 in 88.0 % of them, the
    // kurtosis-adjusted one in 89.35 %: fewer degrees of freedom help, but not up to the nominal 95 %.
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
    expect(plain / repeats).toBeCloseTo(0.88, 3);
    expect(adjusted / repeats).toBeCloseTo(0.8935, 3);
  });

  it('logLogSlope recovers a power law and skips non-positive points', () => {
    const points = [8, 16, 32, 64].map((x) => ({ x, y: 3 * x ** -2.5 }));
    const fit = logLogSlope([...points, { x: 128, y: -1 }, { x: 256, y: 0 }]);
    expect(fit?.slope).toBeCloseTo(-2.5, 12);
    expect(fit?.used).toBe(4);
    expect(logLogSlope([{ x: 8, y: 1 }])).toBeNull();
  });

  it('both log-log fits skip a point at x = ∞ (it made the slope NaN, or the weighted fit null)', () => {
    const points = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: Number.POSITIVE_INFINITY, y: 3 },
    ];
    expect(logLogSlope(points)).toEqual({ slope: 1, intercept: 0, used: 2 });
    expect(weightedLogLogSlope(points.map((p) => ({ ...p, sdLogY: 0.1 })))?.slope).toBeCloseTo(1, 12);
  });
});
