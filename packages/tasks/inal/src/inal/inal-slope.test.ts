import { describe, expect, it } from 'vitest';
import { logLogSlope, normalQuantile, weightedLogLogSlope } from '../stats.js';
import { estimateOf, fitInalSlope, slopePoints } from './inal-slope.js';
import type { InalMeasurement } from './measure-inal.js';

/** A point with relative standard error `rel` (sd of log INAL ≈ rel). */
const p = (n: number, inal: number, resolved: boolean, rel = 0.1) => ({ n, inal, stderr: rel * inal, resolved });

describe('slopePoints and fitInalSlope', () => {
  it('refuses a confidence that is no probability (95 reached the normal quantile as p = 48)', () => {
    expect(() => fitInalSlope([p(8, 0.1, true), p(16, 0.05, true)], 95)).toThrow(
      'fitInalSlope: confidence must be a probability in (0, 1), such as 0.95, but got 95',
    );
  });

  it('fit every resolved point, whatever comes between', () => {
    const points = [
      p(32, 1 / 32, true),
      p(8, 1 / 8, true),
      p(64, 1e-3, false),
      p(16, 1 / 16, true),
      p(128, 1 / 128, true),
    ];
    expect(slopePoints(points).map((x) => x.n)).toEqual([8, 16, 32, 128]);
    const fit = fitInalSlope(points);
    expect(fit?.ns).toEqual([8, 16, 32, 128]);
    expect(fit?.slope).toBeCloseTo(-1, 10);
    expect(fit?.intercept).toBeCloseTo(0, 10);
    for (const w of fit?.weights ?? []) expect(w).toBeCloseTo(0.25, 12);
    // Exact fit (χ² = 0): the interval is the one the sds imply, ±1.96 · 0.1/√Σ(log n − mean)².
    const u = [8, 16, 32, 128].map(Math.log);
    const mu = u.reduce((a, b) => a + b, 0) / 4;
    const half = (normalQuantile(0.975) * 0.1) / Math.sqrt(u.reduce((a, x) => a + (x - mu) ** 2, 0));
    expect(fit?.slopeLow).toBeCloseTo(-1 - half, 10);
    expect(fit?.slopeHigh).toBeCloseTo(-1 + half, 10);
  });

  it('leaves out a point with no spread over its inits, and does not list it among the fitted n', () => {
    const fit = fitInalSlope([
      { n: 8, inal: 1e-2, stderr: 0, resolved: true },
      p(16, 1 / 16, true),
      p(32, 1 / 32, true),
    ]);
    expect(fit?.ns).toEqual([16, 32]);
    expect(fit?.weights).toHaveLength(2);
  });

  it('a barely resolved point barely moves the slope; with equal weights it would', () => {
    // log INAL = −3 log n, exact up to 2 %, and an n = 32 point 1.68× too high but known only to 50 %.
    const exact = [8, 12, 16, 20].map((n) => p(n, n ** -3, true, 0.02));
    const points = [...exact, p(32, 1.68 * 32 ** -3, true, 0.5)];
    const fit = fitInalSlope(points);
    const unweighted = logLogSlope(points.map((q) => ({ x: q.n, y: q.inal })));
    expect(Math.abs((fit?.slope as number) + 3)).toBeLessThan(0.02);
    expect(Math.abs((unweighted?.slope as number) + 3)).toBeGreaterThan(0.15);
    expect(fit?.weights[4]).toBeLessThan(0.001);
  });

  it('weighs a point by its standard error relative to the fitted line, not to its own (over)estimate', () => {
    // n = 32 came out 4× too high; its stderr is 40 % of that value but 160 % of the line's.
    const points = [
      ...[8, 12, 16].map((n) => p(n, n ** -3, true, 0.15)),
      { n: 32, inal: 4 * 32 ** -3, stderr: 1.6 * 32 ** -3, resolved: true },
    ];
    const fit = fitInalSlope(points);
    const ownValue = weightedLogLogSlope(points.map((q) => ({ x: q.n, y: q.inal, sdLogY: q.stderr / q.inal })));
    expect(fit?.weights[3]).toBeLessThan(0.01);
    expect(ownValue?.weights[3]).toBeGreaterThan(0.04);
    // The bad point's pull falls about ninefold: slope −2.95 against −2.50.
    expect(Math.abs((fit?.slope as number) + 3)).toBeLessThan(0.06);
    expect(Math.abs((ownValue?.slope as number) + 3)).toBeGreaterThan(0.25);
  });

  it('widens the slope interval by the Birge ratio when the points scatter more than their sds say', () => {
    const points = [
      p(8, 8 ** -2 * 1.3, true, 0.01),
      p(16, 16 ** -2 / 1.3, true, 0.01),
      p(32, 32 ** -2 * 1.3, true, 0.01),
      p(64, 64 ** -2 / 1.3, true, 0.01),
    ];
    const fit = weightedLogLogSlope(points.map((q) => ({ x: q.n, y: q.inal, sdLogY: 0.01 })));
    expect(fit?.reducedChiSquare).toBeGreaterThan(100);
    const u = [8, 16, 32, 64].map(Math.log);
    const mu = u.reduce((a, b) => a + b, 0) / 4;
    const se = Math.sqrt(((fit?.reducedChiSquare as number) * 0.01 ** 2) / u.reduce((a, x) => a + (x - mu) ** 2, 0));
    expect(fit?.slopeStderr).toBeCloseTo(se, 12);
    expect((fit?.slopeHigh as number) - (fit?.slope as number)).toBeCloseTo(normalQuantile(0.975) * se, 12);
  });

  it('widens the interval continuously as the scatter passes what the sds imply (no jump at χ²/(m − 2) = 1)', () => {
    // Three points on a line of slope −1, the middle one moved so that χ²/(m − 2) is just under and just over 1.
    const fitWith = (offset: number) =>
      weightedLogLogSlope(
        [8, 16, 32].map((n, i) => ({ x: n, y: (1 / n) * Math.exp(i === 1 ? offset : 0), sdLogY: 0.1 })),
      );
    // Moving the middle point by d leaves χ² = (2/3)·d²/0.1²: 1 at d = 0.1·√1.5.
    const [under, over] = [fitWith(0.1 * Math.sqrt(1.5) * 0.995), fitWith(0.1 * Math.sqrt(1.5) * 1.005)];
    expect(under?.reducedChiSquare).toBeLessThan(1);
    expect(over?.reducedChiSquare).toBeGreaterThan(1);
    const width = (f: typeof under) => (f?.slopeHigh as number) - (f?.slopeLow as number);
    // Same points in x, same sds: the widths differ by the scale factor alone, √1.01 here (a
    // Student-t quantile taken past χ²/(m − 2) = 1 made it 6.5).
    const ratio = width(over) / width(under);
    expect(ratio).toBeCloseTo(Math.sqrt(over?.reducedChiSquare as number), 10);
    expect(ratio).toBeLessThan(1.01);
  });

  it('weighted least squares equals the normal equations solved directly (plain-JS reference)', () => {
    const pts = [
      { x: 8, y: 2e-3, sdLogY: 0.05 },
      { x: 12, y: 5e-4, sdLogY: 0.1 },
      { x: 20, y: 1.5e-4, sdLogY: 0.2 },
      { x: 40, y: 2e-5, sdLogY: 0.4 },
    ];
    // [Σw Σwu; Σwu Σwu²] [a; b] = [Σwv; Σwuv]
    let [s0, s1, s2, t0, t1] = [0, 0, 0, 0, 0];
    for (const q of pts) {
      const [w, u, v] = [q.sdLogY ** -2, Math.log(q.x), Math.log(q.y)];
      [s0, s1, s2, t0, t1] = [s0 + w, s1 + w * u, s2 + w * u * u, t0 + w * v, t1 + w * u * v];
    }
    const det = s0 * s2 - s1 * s1;
    const fit = weightedLogLogSlope(pts);
    expect(fit?.slope).toBeCloseTo((s0 * t1 - s1 * t0) / det, 10);
    expect(fit?.intercept).toBeCloseTo((s2 * t0 - s1 * t1) / det, 10);
  });

  it('give no fit with fewer than two resolved points', () => {
    expect(fitInalSlope([p(8, 0.1, false), p(16, 0.05, true), p(32, 0.02, false)])).toBeNull();
  });
});

describe('estimateOf', () => {
  const result = (inal: number, pooled: number, pooledLow: number) =>
    ({
      inal,
      ciLow: inal / 2,
      ciHigh: inal * 2,
      stderr: inal / 4,
      pooled: { inal: pooled, ciLow: pooledLow, ciHigh: pooled * 2, stderr: pooled / 4, layer: 0 },
    }) as unknown as InalMeasurement;

  it('takes the chosen estimator and resolves on the pooled interval and the rounding floor', () => {
    expect(estimateOf(result(0.2, 0.1, 0.05), 'max')).toEqual({
      inal: 0.2,
      ciLow: 0.1,
      ciHigh: 0.4,
      stderr: 0.05,
      resolved: true,
    });
    expect(estimateOf(result(0.2, 0.1, 0.05), 'pooled')).toEqual({
      inal: 0.1,
      ciLow: 0.05,
      ciHigh: 0.2,
      stderr: 0.025,
      resolved: true,
    });
    expect(estimateOf(result(0.2, 0.1, -0.01), 'max').resolved).toBe(false);
    expect(estimateOf(result(1e-13, 1e-13, 1e-14), 'pooled').resolved).toBe(false);
  });
});
