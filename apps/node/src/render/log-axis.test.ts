import { describe, expect, it } from 'vitest';
import { logDomain, logTicks } from './log-axis.js';

describe('log axes', () => {
  it('the domain fits the data, not the enclosing decades', () => {
    const [lo, hi] = logDomain([0.02, 0.5, 2, Number.NaN, 0, -1]) as [number, number];
    expect(lo).toBeCloseTo(0.02 / 1.15, 12);
    expect(hi).toBeCloseTo(2 * 1.15, 12);
    expect(logDomain([0, Number.NaN])).toBeNull();
  });

  it('labels every decade the axis spans', () => {
    expect(logTicks(0.017, 2.3)).toEqual([0.1, 1]);
    expect(logTicks(0.0009, 12)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(400, 70_000)).toEqual([1000, 10_000]);
  });

  it('inside one decade: the 2× and 5× steps, else the rounded ends', () => {
    expect(logTicks(150, 2500)).toEqual([200, 500, 1000, 2000]);
    // The sweep plot's 560–660 case: no decade, no 2× or 5× step inside.
    expect(logTicks(560, 660)).toEqual([590, 630]);
    // Padded 560–660: 500 is a round tick inside; the end near it is left out.
    expect(logTicks(487, 759)).toEqual([500, 720]);
  });
});
