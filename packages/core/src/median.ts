/**
 * The median of a list of numbers: the middle value, or the mean of the middle two for an even
 * count. One definition for every summary in the project (learned-at steps, timings, sweeps).
 */
import { showValue } from './assert.js';

/**
 * The median of `values` (any order; not modified); NaN when there are none or any is NaN, as in
 * NumPy, or (from plain JS) is no number at all.
 */
export function median(values: readonly number[]): number {
  // A NaN would make the sort's comparisons inconsistent, and the answer depend on the order; an
  // undefined sorted last and a string compared as its number, and either could come out as the median.
  if (values.length === 0 || values.some((v) => typeof v !== 'number' || Number.isNaN(v))) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median, extremes and every sample of repeated measurements, in the unit of the measurement. */
export interface SampleSummary {
  median: number;
  min: number;
  max: number;
  /** In the order measured. */
  samples: number[];
}

/** The median and spread of `samples` (at least one): what a benchmark reports of its repeats. */
export function summarizeSamples(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new RangeError('summarizeSamples: expected at least one sample, got none');
  // A NaN would make the sort's comparisons inconsistent: min and max came out in any order.
  const bad = samples.findIndex((v) => typeof v !== 'number' || Number.isNaN(v));
  if (bad >= 0)
    throw new RangeError(
      `summarizeSamples: sample ${bad} is ${showValue(samples[bad])}; give measured numbers, not failed measurements`,
    );
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    median: median(sorted),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    samples: [...samples],
  };
}

/**
 * The median time to an event some never reached (a step or a sample count at which a replica
 * learned; null for one that did not): null unless the median is reached. Over the reached ones
 * alone, 3 of 8 learning early would read as easier than 8 of 8.
 *
 * `censoredAt[i]` is when value i stopped being watched (the steps its run ran to). Left out, a
 * value never reached counts as never (+∞), and the result is the ordinary median of that list:
 * null unless more than half reached it. Given, the median is Kaplan–Meier's, so that a replica
 * stopped at 200 steps, which says nothing of step 800, is not counted as never learning there
 * (a sweep over `run.steps` pools budgets in its per-axis rows): the first time at which the
 * estimated share still waiting is ≤ ½, or midway to the next event time where it is exactly ½, as
 * the ordinary median of an even count is (exactly ½ after the last event time: null, as for the
 * uncensored list; R's survfit would take the midpoint to the last time watched). A NaN among the
 * values gives null: pass times, not failed measurements; a time of +∞ counts as never reached.
 */
export function censoredMedian(values: readonly (number | null)[], censoredAt?: readonly number[]): number | null {
  if (censoredAt !== undefined && censoredAt.length !== values.length)
    throw new RangeError(
      `censoredMedian: censoredAt holds ${censoredAt.length} values for ${values.length} times; give one per time`,
    );
  if (values.some((v) => v !== null && Number.isNaN(v))) return null;
  const badTime = censoredAt?.findIndex((t, i) => values[i] === null && Number.isNaN(t)) ?? -1;
  if (badTime >= 0)
    throw new RangeError(
      `censoredMedian: censoredAt[${badTime}] is NaN; give the time value ${badTime} stopped being watched`,
    );
  // Per distinct time, in order: how many were reached then, and how many stopped being watched
  // then, reached or not (a time of +∞ is never reached).
  const byTime = new Map<number, { reached: number; watched: number }>();
  const entries = values.map((v, i) => ({ at: v ?? censoredAt?.[i] ?? Number.POSITIVE_INFINITY, reached: v !== null }));
  for (const { at, reached } of entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    const group = byTime.get(at) ?? { reached: 0, watched: 0 };
    group.watched++;
    if (reached && at !== Number.POSITIVE_INFINITY) group.reached++;
    byTime.set(at, group);
  }
  // Kaplan–Meier's estimate of the share not yet reached, just after each time, as an exact
  // fraction: in floats 4 of 8 reached could round to either side of ½.
  let waiting = { num: 1n, den: 1n };
  let half: number | null = null; // the time after which exactly ½ was still waiting
  // At risk at t: every value not reached nor stopped before t; one stopped at t itself too.
  let atRisk = values.length;
  for (const [t, group] of byTime) {
    if (group.reached > 0) {
      if (half !== null) return (half + t) / 2;
      waiting = { num: waiting.num * BigInt(atRisk - group.reached), den: waiting.den * BigInt(atRisk) };
      const twice = 2n * waiting.num;
      if (twice < waiting.den) return t;
      if (twice === waiting.den) half = t;
    }
    atRisk -= group.watched;
  }
  return null;
}
