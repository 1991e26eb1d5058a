import { describe, expect, it } from 'vitest';
import { axis, linearTicks, logTicks, tickLabel } from './svg-plot.js';

describe('plot scales', () => {
  it('a log axis maps decades evenly and cannot show values ≤ 0', () => {
    const a = axis(1, 1000, true);
    [0, 1 / 3, 2 / 3, 1].forEach((v, i) => expect(a.at(10 ** i)).toBeCloseTo(v, 12));
    expect(a.at(0)).toBeNaN();
    expect(a.at(-1)).toBeNaN();
    expect(axis(2, 4, false).at(3)).toBe(0.5);
  });

  it('a single value gets a range around it instead of a division by zero', () => {
    const a = axis(5, 5, false);
    expect(a.at(5)).toBe(0.5);
  });

  it('log ticks: powers of ten over wide ranges, finer steps over one or two decades', () => {
    expect(logTicks(1e-6, 1)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
    expect(logTicks(6, 40)).toEqual([10, 30]);
    expect(logTicks(0.004, 0.04)).toEqual([0.01, 0.03]);
    expect(logTicks(3, 9)).toEqual([3, 5, 7]);
    expect(logTicks(0, 10)).toEqual([]);
  });

  it('linear ticks are round and cover the range', () => {
    expect(linearTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(linearTicks(20, 300, 5)).toEqual([100, 200, 300]);
    expect(tickLabel(1e-4)).toBe('1e-4');
    expect(tickLabel(250000)).toBe('3e5');
    expect(tickLabel(0.25)).toBe('0.25');
  });
});
