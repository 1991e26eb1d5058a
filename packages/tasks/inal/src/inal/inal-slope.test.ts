import { describe, expect, it } from 'vitest';
import { fitInalSlope, inalEstimate, slopePoints } from './inal-slope.js';
import type { InalResult } from './estimate-inal.js';

const p = (n: number, inal: number, resolved: boolean) => ({ n, inal, resolved });

describe('slopePoints and fitInalSlope', () => {
  it('fit from the smallest n up to the first unresolved point', () => {
    const points = [p(32, 1 / 32, true), p(8, 1 / 8, true), p(64, 1e-3, false), p(16, 1 / 16, true), p(128, 1 / 128, true)];
    expect(slopePoints(points).map((x) => x.n)).toEqual([8, 16, 32]);
    const fit = fitInalSlope(points);
    expect(fit?.ns).toEqual([8, 16, 32]);
    expect(fit?.slope).toBeCloseTo(-1, 10);
    expect(fit?.intercept).toBeCloseTo(0, 10);
  });

  it('give no fit with fewer than two resolved points from the smallest n', () => {
    expect(fitInalSlope([p(8, 0.1, false), p(16, 0.05, true), p(32, 0.02, true)])).toBeNull();
  });
});

describe('inalEstimate', () => {
  const result = (inal: number, pooled: number, pooledLow: number) =>
    ({ inal, ciLow: inal / 2, ciHigh: inal * 2, pooled: { inal: pooled, ciLow: pooledLow, ciHigh: pooled * 2, layer: 0 } }) as unknown as InalResult;

  it('takes the chosen estimator and resolves on the pooled interval and the rounding floor', () => {
    expect(inalEstimate(result(0.2, 0.1, 0.05), 'max')).toEqual({ inal: 0.2, ciLow: 0.1, ciHigh: 0.4, resolved: true });
    expect(inalEstimate(result(0.2, 0.1, 0.05), 'pooled')).toEqual({ inal: 0.1, ciLow: 0.05, ciHigh: 0.2, resolved: true });
    expect(inalEstimate(result(0.2, 0.1, -0.01), 'max').resolved).toBe(false);
    expect(inalEstimate(result(1e-13, 1e-13, 1e-14), 'pooled').resolved).toBe(false);
  });
});
