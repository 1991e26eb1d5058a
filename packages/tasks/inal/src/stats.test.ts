import { describe, expect, it } from 'vitest';
import { logLogSlope, meanInterval, normalQuantile, studentQuantile } from './stats.js';

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

  it('logLogSlope recovers a power law and skips non-positive points', () => {
    const points = [8, 16, 32, 64].map((x) => ({ x, y: 3 * x ** -2.5 }));
    const fit = logLogSlope([...points, { x: 128, y: -1 }, { x: 256, y: 0 }]);
    expect(fit?.slope).toBeCloseTo(-2.5, 12);
    expect(fit?.used).toBe(4);
    expect(logLogSlope([{ x: 8, y: 1 }])).toBeNull();
  });
});
