import type { GroupStats } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { aggregateSpec, formatAggregate, logLogSlopes } from './render-sweep.js';

const group = (n: number, width: number, step: number | null): GroupStats => ({
  values: { n, width },
  jobs: 1,
  learned: step === null ? 0 : 1,
  diverged: 0,
  successRate: step === null ? 0 : 1,
  medianLearnedAtStep: step,
  medianWallSeconds: 1,
  meanTestAccuracy: null,
  medianTestError: null,
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
    expect(slopes[0]).toMatchObject({ axis: 'n', series: 'width=100', points: 3, unreached: [] });
    expect(slopes[0]?.slope).toBeCloseTo(1.5, 12);
  });

  it('names the groups whose median was not reached, which the fit leaves out', () => {
    // n = 40 and 80 did not learn (half or more): the fit over n = 10, 20 leaves out the slowest cells.
    const groups = [group(10, 1, 100), group(20, 1, 400), group(40, 1, null), group(80, 1, null)];
    const [slope] = logLogSlopes({ sweep: 's', jobs: 4, groups, byAxis: { n: [], width: [] } });
    expect(slope).toMatchObject({ points: 2, unreached: [40, 80] });
    expect(slope?.slope).toBeCloseTo(2, 12);
  });
});

describe('a regression sweep', () => {
  it('is scored by median test MSE, not as 0/1 learned, and draws no learned-at-step plot', () => {
    const groups = [8, 16].map((n) => ({
      ...group(n, 100, null),
      medianTestError: n / 100,
      diverged: n === 16 ? 1 : 0,
    }));
    const a = { sweep: 's', jobs: 2, groups, byAxis: { n: groups } };
    const table = formatAggregate(a);
    // It read "0/1, success 0.00, —, —", as if every in-context run had failed.
    expect(table.split('\n')[0]?.split(/\s{2,}/)).toEqual(['n', 'jobs', 'diverged', 'median test MSE', 'median s/job']);
    // A diverged job's last finite MSE is in the median, so the row says how many diverged.
    expect(table.split('\n')[3]?.trim().split(/\s+/)).toEqual(['16', '1', '1', '0.16', '1']);
    expect(table).not.toContain('0/1');
    expect(aggregateSpec(a)).toEqual({
      skipped: 'regression runs have no learned-at-step to draw (the table gives their test MSE)',
    });
  });
});
