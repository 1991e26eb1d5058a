import { describe, expect, it } from 'vitest';
import { logScaleFits } from './line-chart.js';

describe('logScaleFits', () => {
  it('allows a log y axis only when no finite value is ≤ 0', () => {
    const series = (...ys: (number | null)[]) => [{ label: 'r0', points: ys.map((y, i) => [i, y] as const) }];
    expect(logScaleFits(series(0.5, 0.1, null, Number.NaN))).toBe(true);
    // A fitted hinge loss reaches 0 and a correlation loss is negative: on a log axis they vanished.
    expect(logScaleFits(series(0.5, 0))).toBe(false);
    expect(logScaleFits(series(-0.9, -0.99))).toBe(false);
  });
});
