import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks, tickLabel } from './ticks.js';

describe('ticks', () => {
  it('log ticks: powers of ten over wide ranges, finer steps over one or two decades', () => {
    expect(logTicks(1e-6, 1)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
    expect(logTicks(6, 40)).toEqual([10, 30]);
    expect(logTicks(0.004, 0.04)).toEqual([0.01, 0.03]);
    expect(logTicks(3, 9)).toEqual([3, 5, 7]);
    expect(logTicks(0, 10)).toEqual([]);
  });

  it('linear ticks are round and cover the range', () => {
    expect(linearTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(linearTicks(0, 4000, 5)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(linearTicks(20, 300, 5)).toEqual([100, 200, 300]);
    expect(linearTicks(3, 3)).toEqual([3]);
  });

  it('linear ticks end over a range of a few ulps at a large magnitude (a steps/s chart at 10,000 steps/s)', () => {
    const ticks = linearTicks(10_000, 10_000 + 2 ** -39, 4);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(9);
    for (const t of ticks) expect(Math.abs(t - 10_000)).toBeLessThan(1e-6);
  });

  it('labels are short', () => {
    expect(tickLabel(1e-4)).toBe('1e-4');
    expect(tickLabel(250000)).toBe('2.5e5');
    // Ticks of one axis stay apart: one significant digit read 150,000 as 2e5 beside 200,000.
    expect([0, 50000, 100000, 150000, 200000, 250000].map(tickLabel)).toEqual([
      '0',
      '50000',
      '1e5',
      '1.5e5',
      '2e5',
      '2.5e5',
    ]);
    expect(tickLabel(1.5e6)).toBe('1.5e6');
    expect(tickLabel(0.25)).toBe('0.25');
  });
});
