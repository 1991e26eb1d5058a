import { logLogSlope } from '@learnability/inal';
import { showAxisValue as show } from '@learnability/presets';
import type { GroupStats, SweepAggregate } from '@learnability/presets';
import type { TopLevelSpec } from 'vega-lite';
import { fittedLogAxis, logDomain } from '../render/log-axis.js';
import { fmt, fmtAccuracy, formatTable } from '../render/table.js';

/**
 * A regression sweep (in-context tasks): no cell has an accuracy, and some cell a test MSE (one
 * whose jobs all diverged before their first evaluation has neither). Its cells are scored by the
 * MSE; learned-at-step applies to accuracy tasks only.
 */
const isRegression = (a: SweepAggregate) =>
  a.groups.some((g) => g.medianTestError !== null) && a.groups.every((g) => g.meanTestAccuracy === null);

function rows(groups: GroupStats[], axes: string[], regression: boolean): string[][] {
  return groups.map((g) => [
    ...axes.map((a) => show(g.values[a])),
    ...(regression
      ? [String(g.jobs), String(g.diverged), fmt(g.medianTestError, 4)]
      : [
          `${g.learned}/${g.jobs}`,
          String(g.diverged),
          successShown(g),
          g.medianLearnedAtStep === null ? '—' : String(g.medianLearnedAtStep),
          fmtAccuracy(g.meanTestAccuracy),
        ]),
    fmt(g.medianWallSeconds, 2),
  ]);
}

/**
 * The success rate from the counts, rounded down to 2 decimals and kept off 0 and 1 unless none or
 * all learned: rounded, 319 of 320 read "1" and 1 of 320 "0".
 */
function successShown(g: GroupStats): string {
  if (g.learned === g.jobs || g.learned === 0) return String(g.learned === 0 ? 0 : 1);
  return fmt(Math.min(99, Math.max(1, Math.floor((100 * g.learned) / g.jobs))) / 100, 2);
}

// "median learned at step" counts a job that did not learn as past its run's last step (— when half
// or more did not; Kaplan–Meier's where a per-axis row pools different run.steps: censoredMedian).
// "mean test acc" is over the jobs that were evaluated: one that diverged before its first
// evaluation has no accuracy, and the diverged column counts it.
const STAT_HEADER = ['learned', 'diverged', 'success', 'median learned at step', 'mean test acc', 'median s/job'];
// A diverged job keeps its last finite test MSE, which the median includes: the count says how many.
const REGRESSION_HEADER = ['jobs', 'diverged', 'median test MSE', 'median s/job'];

/** The grid table, then one table per axis. */
export function formatAggregate(a: SweepAggregate): string {
  const axes = Object.keys(a.byAxis);
  const regression = isRegression(a);
  const header = regression ? REGRESSION_HEADER : STAT_HEADER;
  const parts = [formatTable([...axes, ...header], rows(a.groups, axes, regression))];
  if (axes.length > 1)
    for (const axis of axes)
      parts.push(`\nby ${axis}:\n${formatTable([axis, ...header], rows(a.byAxis[axis] ?? [], [axis], regression))}`);
  return parts.join('\n');
}

/**
 * The groups that learned as points: x the first numeric axis with every value > 0 (null when none is), y the median
 * learned-at-step, and the series the combination of the other axes (`width=100`, or `all`);
 * `unreached`: the groups whose median was not reached (half or more did not learn), by series.
 */
function learnedPoints(a: SweepAggregate): {
  x: string;
  values: { x: number; y: number; series: string }[];
  unreached: { x: number; series: string }[];
} | null {
  const axes = Object.keys(a.byAxis);
  // On a log axis: a value ≤ 0 (task.noise = 0) has no place there, and the fit would drop it.
  const x = axes.find((axis) => a.groups.every((g) => typeof g.values[axis] === 'number' && g.values[axis] > 0));
  if (x === undefined) return null;
  const others = axes.filter((axis) => axis !== x);
  const point = (g: SweepAggregate['groups'][number]) => ({
    x: g.values[x] as number,
    series: others.map((o) => `${o}=${show(g.values[o])}`).join(' ') || 'all',
  });
  const values = a.groups.flatMap((g) =>
    g.medianLearnedAtStep === null ? [] : [{ ...point(g), y: g.medianLearnedAtStep }],
  );
  const unreached = a.groups.filter((g) => g.medianLearnedAtStep === null).map(point);
  return { x, values, unreached };
}

/**
 * Median learned-at-step against the first numeric axis whose values are all > 0, log–log, one line per combination of the
 * other axes; or why there is nothing to draw (no numeric axis, no cell learned).
 */
export function aggregateSpec(a: SweepAggregate): TopLevelSpec | { skipped: string } {
  const learned = learnedPoints(a);
  if (learned === null) return { skipped: 'no numeric axis with every value > 0 to put on the log x axis' };
  if (isRegression(a))
    return { skipped: 'regression runs have no learned-at-step to draw (the table gives their test MSE)' };
  const { x, values } = learned;
  // A log axis over no points has an infinite domain: the SVG came out 1.8e308 pixels wide.
  if (values.length === 0) return { skipped: 'no cell learned, so there is no learned-at-step to draw' };
  const xs = [...new Set(values.map((v) => v.x))].sort((p, q) => p - q);
  const xDomain = logDomain(xs, 1.08);
  const yAxis = fittedLogAxis(values.map((v) => v.y));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${a.sweep}: median learned-at-step vs ${x}`,
    background: 'white',
    width: 480,
    height: 320,
    data: { values },
    config: { axis: { labelFontSize: 12, titleFontSize: 13 }, legend: { labelFontSize: 12 } },
    mark: { type: 'line', point: true },
    encoding: {
      // x: the grid's own values are the ticks; y: fitted to the medians, every decade labelled.
      x: {
        field: 'x',
        type: 'quantitative',
        title: x,
        scale: { type: 'log', nice: false, ...(xDomain ? { domain: xDomain } : {}) },
        // Plain numbers, as the table writes them: '~s' wrote lr 0.001 as "1m".
        axis: { values: xs, format: '~g' },
      },
      y: { field: 'y', type: 'quantitative', title: 'median learned at step', ...yAxis },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/**
 * Least-squares slope of log(median learned-at-step) against log(x), per series of `aggregateSpec`.
 * Groups whose median was not reached (half or more did not learn within their steps) are no
 * points: `unreached` lists their x, so that a fit that leaves out the slowest cells says so.
 */
export function logLogSlopes(
  a: SweepAggregate,
): { axis: string; series: string; slope: number; points: number; unreached: number[] }[] {
  const learned = learnedPoints(a);
  if (learned === null) return [];
  const bySeries = new Map<string, { x: number; y: number }[]>();
  for (const v of learned.values) bySeries.set(v.series, [...(bySeries.get(v.series) ?? []), v]);
  return [...bySeries].flatMap(([series, points]) => {
    const fit = logLogSlope(points);
    if (!fit) return [];
    const unreached = learned.unreached
      .filter((u) => u.series === series)
      .map((u) => u.x)
      .sort((p, q) => p - q);
    return [{ axis: learned.x, series, slope: fit.slope, points: fit.used, unreached }];
  });
}
