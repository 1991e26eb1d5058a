import type { GroupStats } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { logLogSlopes } from './render-sweep.js';

const group = (n: number, width: number, step: number | null): GroupStats => ({
  values: { n, width },
  jobs: 1,
  learned: step === null ? 0 : 1,
  successRate: step === null ? 0 : 1,
  medianLearnedAtStep: step,
  medianWallSeconds: 1,
  meanTestAccuracy: null,
});

describe('logLogSlopes', () => {
  it('fits log(median learned-at-step) against log of the numeric axis, per series; a series with one learned point has none', () => {
    const groups = [
      ...[8, 16, 32].map((n) => group(n, 100, 3 * n ** 1.5)),
      group(8, 200, 40),
      group(16, 200, null),
      group(32, 200, null),
    ];
    const slopes = logLogSlopes({ sweep: 's', jobs: 6, groups, byAxis: { n: [], width: [] } });
    expect(slopes).toHaveLength(1);
    expect(slopes[0]).toMatchObject({ axis: 'n', series: 'width=100', points: 3 });
    expect(slopes[0]?.slope).toBeCloseTo(1.5, 12);
  });
});
