/**
 * From `estimateInal` results to the log–log slope of INAL against n, with one rule for every
 * caller (the CLI's `inal` command and experiment, the browser lab's explorer): which estimator,
 * when a point counts as resolved, and which points the slope is fitted over.
 */
import { logLogSlope } from '../stats.js';
import type { InalResult } from './estimate-inal.js';

/** `max`: max over neurons of the init average (the definition). `pooled`: max over layers of the neuron average. */
export type InalEstimator = 'max' | 'pooled';

/** Below this, an exact c² is float32 rounding of a zero correlation. */
export const ROUNDING_FLOOR = 1e-12;

/** One estimator's value and 95 % interval, and whether alignment is detected at all. */
export interface InalEstimate {
  inal: number;
  ciLow: number;
  ciHigh: number;
  /**
   * The neuron-averaged (pooled) interval excludes 0 and the value is above float32 rounding.
   * The max's own interval, for one neuron over R inits, is too wide to decide this.
   */
  resolved: boolean;
}

/** The chosen estimator's value of `r`, and whether it is resolved. */
export function inalEstimate(r: InalResult, estimator: InalEstimator): InalEstimate {
  const chosen = estimator === 'max' ? { inal: r.inal, ciLow: r.ciLow, ciHigh: r.ciHigh } : r.pooled;
  return { inal: chosen.inal, ciLow: chosen.ciLow, ciHigh: chosen.ciHigh, resolved: chosen.inal > ROUNDING_FLOOR && r.pooled.ciLow > 0 };
}

/** What every point of an INAL-vs-n series carries: n, how it was measured, the chosen estimate. */
export interface InalSeriesPoint extends InalEstimate, Pick<InalResult, 'n' | 'method' | 'inputs' | 'argmax'> {}

/** The series point of `r` with the chosen estimator. */
export function inalSeriesPoint(r: InalResult, estimator: InalEstimator): InalSeriesPoint {
  return { n: r.n, ...inalEstimate(r, estimator), method: r.method, inputs: r.inputs, argmax: r.argmax };
}

/**
 * The points a slope is fitted over: the resolved ones from the smallest n up to the first
 * unresolved one. INAL falls with n, so a resolved point after an unresolved one is more likely a
 * false detection (an interval misses 5 % of the time) than signal.
 */
export function slopePoints<P extends { n: number; resolved: boolean }>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.n - b.n);
  const firstMiss = sorted.findIndex((p) => !p.resolved);
  return firstMiss < 0 ? sorted : sorted.slice(0, firstMiss);
}

/** The fitted line log INAL = intercept + slope · log n, and the n it used. */
export interface InalFit {
  slope: number;
  intercept: number;
  ns: number[];
}

/** Least-squares fit of log INAL on log n over `slopePoints`; null with fewer than two. */
export function fitInalSlope(points: readonly { n: number; inal: number; resolved: boolean }[]): InalFit | null {
  const used = slopePoints(points);
  const fit = logLogSlope(used.map((p) => ({ x: p.n, y: p.inal })));
  return fit ? { slope: fit.slope, intercept: fit.intercept, ns: used.map((p) => p.n) } : null;
}
