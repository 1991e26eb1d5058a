/**
 * From `measureInal` results to the log–log slope of INAL against n, with one rule for every
 * caller (the CLI's `inal` command and experiment, the browser lab's explorer): which estimator,
 * when a point counts as resolved, which points the slope is fitted over and how they are weighted.
 */
import { assert } from '@learnability/core';
import { weightedLogLogSlope } from '../stats.js';
import type { InalSeriesOptions } from './inal-options.js';
import type { InalMeasurement } from './measure-inal.js';

/**
 * `max`: max over neurons of the init average (the definition). `pooled`: the neuron average of the
 * layer whose interval's lower bound is highest, among those wide enough to average over (all
 * layers when none is: `measureInal`).
 */
export type InalEstimator = InalSeriesOptions['estimator'];

/** Below this, an exact c² is float32 rounding of a zero correlation. */
export const ROUNDING_FLOOR = 1e-12;

/** One estimator's value and 95 % interval, and whether alignment is detected at all. */
export interface ChosenEstimate {
  inal: number;
  ciLow: number;
  ciHigh: number;
  /** Standard error of `inal` over the initialisations (what the interval is built from). */
  stderr: number;
  /**
   * The neuron-averaged (pooled) interval excludes 0 and the value is above float32 rounding.
   * The max's own interval, for one neuron over R inits, is too wide to decide this.
   */
  resolved: boolean;
}

/** The chosen estimator's value of `r`, and whether it is resolved. */
export function estimateOf(r: InalMeasurement, estimator: InalEstimator): ChosenEstimate {
  const chosen = estimator === 'max' ? { inal: r.inal, ciLow: r.ciLow, ciHigh: r.ciHigh, stderr: r.stderr } : r.pooled;
  return {
    inal: chosen.inal,
    ciLow: chosen.ciLow,
    ciHigh: chosen.ciHigh,
    stderr: chosen.stderr,
    resolved: chosen.inal > ROUNDING_FLOOR && r.pooled.ciLow > 0,
  };
}

/** What every point of an INAL-vs-n series carries: n, how it was measured, the chosen estimate. */
export interface InalSeriesPoint extends ChosenEstimate, Pick<InalMeasurement, 'n' | 'method' | 'inputs' | 'argmax'> {}

/** The series point of `r` with the chosen estimator. */
export function inalSeriesPoint(r: InalMeasurement, estimator: InalEstimator): InalSeriesPoint {
  return { n: r.n, ...estimateOf(r, estimator), method: r.method, inputs: r.inputs, argmax: r.argmax };
}

/** The points a slope is fitted over: the resolved ones (interval excludes 0), by n. */
export function slopePoints<P extends { n: number; resolved: boolean }>(points: readonly P[]): P[] {
  return [...points].sort((a, b) => a.n - b.n).filter((p) => p.resolved);
}

/** The fitted line log INAL = intercept + slope · log n, its interval, and the points and weights it used. */
export interface InalFit {
  slope: number;
  intercept: number;
  /** 95 % interval of the slope. */
  slopeLow: number;
  slopeHigh: number;
  ns: number[];
  /** Each used point's weight (1/sd(log INAL)², normalised to sum 1), in the order of `ns`. */
  weights: number[];
  /** χ²/(m − 2) of the residuals; above 1 the slope's interval was widened by its square root. */
  reducedChiSquare: number;
}

/**
 * Weighted least squares of log INAL on log n over `slopePoints` (`weightedLogLogSlope`): each
 * point weighs 1/sd(log INAL)², sd(log INAL) ≈ stderr/INAL (delta method), so a barely resolved
 * point counts far less than an exactly enumerated one. The INAL in that ratio is the fitted line's,
 * iterated from the measured values (iteratively reweighted least squares): with the measured value,
 * a point that came out too high would earn weight from its own error. Far from a power law it
 * is the other way round: a line pulled under the points gives weight to those below it, and the
 * scatter then widens the interval by its Birge ratio. A point with no spread over its inits
 * (stderr 0: identical inits) has no sd to weigh it by and is left out, as `ns` says.
 * `confidence` is the slope interval's level (the points' own, `measureInal`'s `confidence`).
 * Null with fewer than two.
 */
export function fitInalSlope(
  points: readonly { n: number; inal: number; stderr: number; resolved: boolean }[],
  confidence = 0.95,
): InalFit | null {
  // A percentage (95) reached the normal quantile as p = 48, in its words.
  assert(
    confidence > 0 && confidence < 1,
    () => `fitInalSlope: confidence must be a probability in (0, 1), such as 0.95, but got ${confidence}`,
  );
  const used = slopePoints(points).filter((p) => p.stderr > 0);
  const fitWith = (value: (p: (typeof used)[number]) => number) =>
    weightedLogLogSlope(
      used.map((p) => ({ x: p.n, y: p.inal, sdLogY: p.stderr / value(p) })),
      confidence,
    );
  let fit = fitWith((p) => p.inal);
  for (let i = 0; fit && i < 100; i++) {
    const line = fit;
    const next = fitWith((p) => Math.exp(line.intercept + line.slope * Math.log(p.n)));
    if (!next) break;
    const converged = Math.abs(next.slope - line.slope) < 1e-12;
    fit = next;
    if (converged) break;
  }
  if (!fit) return null;
  return {
    slope: fit.slope,
    intercept: fit.intercept,
    slopeLow: fit.slopeLow,
    slopeHigh: fit.slopeHigh,
    ns: used.map((p) => p.n),
    weights: fit.weights,
    reducedChiSquare: fit.reducedChiSquare,
  };
}
