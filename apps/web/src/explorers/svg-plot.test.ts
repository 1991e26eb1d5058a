import { describe, expect, it } from 'vitest';
import { axis } from './svg-plot.js';

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
});
