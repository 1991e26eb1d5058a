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

describe('the plot and the slopes', () => {
  it('take x from an axis whose values are all > 0, and label its ticks as plain numbers', () => {
    // noise = 0 has no place on a log axis: it sat on the left edge, and the fit dropped it unsaid.
    const noisy = [0, 0.05, 0.1].flatMap((noise) =>
      [0.001, 0.01].map((lr) => ({ ...group(8, 1, lr * 1e5), values: { noise, lr } })),
    );
    const a = { sweep: 's', jobs: 6, groups: noisy, byAxis: { noise: noisy, lr: noisy } };
    const spec = aggregateSpec(a) as { encoding: { x: { title: string; axis: { format: string } } } };
    expect(spec.encoding.x.title).toBe('lr');
    // '~s' wrote lr 0.001 as "1m".
    expect(spec.encoding.x.axis.format).toBe('~g');
    expect(logLogSlopes(a).map((f) => [f.axis, f.series, f.points])).toEqual([
      ['lr', 'noise=0', 2],
      ['lr', 'noise=0.05', 2],
      ['lr', 'noise=0.1', 2],
    ]);
    const onlyNoise = noisy.map((g) => ({ ...g, values: { noise: g.values.noise } }));
    expect(aggregateSpec({ sweep: 's', jobs: 3, groups: onlyNoise, byAxis: { noise: onlyNoise } })).toEqual({
      skipped: 'no numeric axis with every value > 0 to put on the log x axis',
    });
  });
});

describe('the classification table', () => {
  it('counts diverged jobs, and shows success rounded down, 1 or 0 only when all or none learned', () => {
    const cell = (n: number, learned: number, jobs: number, diverged: number): GroupStats => ({
      ...group(n, 1, 500),
      values: { n },
      jobs,
      learned,
      diverged,
      successRate: learned / jobs,
      meanTestAccuracy: 1,
    });
    const groups = [cell(8, 319, 320, 0), cell(16, 1, 320, 4), cell(32, 4, 4, 0)];
    const lines = formatAggregate({ sweep: 's', jobs: 644, groups, byAxis: { n: groups } }).split('\n');
    expect(lines[0]?.split(/\s{2,}/)).toEqual([
      'n',
      'learned',
      'diverged',
      'success',
      'median learned at step',
      'mean test acc',
      'median s/job',
    ]);
    // Rounded, 319 of 320 read "1" and 1 of 320 "0".
    expect(lines.slice(2, 5).map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([
      ['8', '319/320', '0', '0.99'],
      ['16', '1/320', '4', '0.01'],
      ['32', '4/4', '0', '1'],
    ]);
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

  it('stays one when a cell has no MSE, its jobs all diverged before their first evaluation', () => {
    const groups = [
      { ...group(8, 100, null), medianTestError: 0.065 },
      { ...group(16, 100, null), diverged: 1 },
    ];
    const table = formatAggregate({ sweep: 's', jobs: 2, groups, byAxis: { n: groups } });
    // It read "0/1, 0, —, —" for both, hiding the first cell's MSE.
    expect(table.split('\n')[0]?.split(/\s{2,}/)).toEqual(['n', 'jobs', 'diverged', 'median test MSE', 'median s/job']);
    expect(
      table
        .split('\n')
        .slice(2, 4)
        .map((l) => l.trim().split(/\s+/)),
    ).toEqual([
      ['8', '1', '0', '0.065', '1'],
      ['16', '1', '1', '—', '1'],
    ]);
  });
});
