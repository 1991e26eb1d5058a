/**
 * INAL of one target against one model over a list of n: the loop behind `learnability inal` and
 * the `inal-learnability` experiment, and the log–log slope of INAL vs n.
 */
import { createBooleanTask, estimateInal, logLogSlope } from '@learnability/inal';
import type { InalResult } from '@learnability/inal';
import { buildModel } from './model-config.js';
import type { ModelChoice } from './model-config.js';

/** `max`: max over neurons of the init average (the definition). `pooled`: max over layers of the neuron average. */
export type Estimator = 'max' | 'pooled';

export interface MeasureOptions {
  ns: readonly number[];
  /** Initialisations R (the model's replicas). */
  inits: number;
  /** Inputs per initialisation when sampled. */
  samples: number;
  /** Largest n enumerated exactly. */
  exactMaxBits: number;
  seed: number;
  estimator: Estimator;
}

/** Below this, an exact c² is float32 rounding of a zero correlation. */
export const ROUNDING_FLOOR = 1e-12;

export interface InalPoint {
  n: number;
  /** The chosen estimator's value and 95 % interval. */
  inal: number;
  ciLow: number;
  ciHigh: number;
  /**
   * Alignment is detected: the neuron-averaged interval excludes 0 and the value is above float32
   * rounding. Only these points enter the slope fit (the max's own interval, for one neuron over R
   * inits, is too wide to decide this).
   */
  resolved: boolean;
  method: 'exact' | 'sampled';
  inputs: number;
  /** The neuron attaining the max over neurons (layer as in applyLayers). */
  argmax: { layer: number; neuron: number };
  max: { inal: number; ciLow: number; ciHigh: number };
  pooled: { inal: number; ciLow: number; ciHigh: number; layer: number };
  /** Per layer: max over its neurons and its neuron average. */
  layers: { layer: number; width: number; max: number; mean: number }[];
  seconds: number;
}

function point(r: InalResult, estimator: Estimator, seconds: number): InalPoint {
  const chosen = estimator === 'max' ? { inal: r.inal, ciLow: r.ciLow, ciHigh: r.ciHigh } : r.pooled;
  return {
    n: r.n,
    inal: chosen.inal,
    ciLow: chosen.ciLow,
    ciHigh: chosen.ciHigh,
    resolved: chosen.inal > ROUNDING_FLOOR && r.pooled.ciLow > 0,
    method: r.method,
    inputs: r.inputs,
    argmax: r.argmax,
    max: { inal: r.inal, ciLow: r.ciLow, ciHigh: r.ciHigh },
    pooled: r.pooled,
    layers: r.layers.map((l) => ({ layer: l.layer, width: l.width, max: l.max, mean: l.mean })),
    seconds,
  };
}

/** Measures every n in order, calling `onPoint` after each. */
export async function measureInal(target: string, model: ModelChoice, o: MeasureOptions, onPoint?: (p: InalPoint) => void): Promise<InalPoint[]> {
  const points: InalPoint[] = [];
  for (const n of o.ns) {
    const task = createBooleanTask({ target, n, seed: o.seed });
    const started = performance.now();
    const result = await estimateInal(buildModel(model, task, o.inits), task.target, {
      samples: o.samples,
      exactMaxBits: o.exactMaxBits,
      seed: o.seed,
    });
    const p = point(result, o.estimator, (performance.now() - started) / 1000);
    points.push(p);
    onPoint?.(p);
  }
  return points;
}

/**
 * The points a slope is fitted over: the resolved ones from the smallest n up to the first
 * unresolved one. INAL falls with n, so a resolved point after an unresolved one is more likely a
 * false detection (an interval misses 5 % of the time) than signal.
 */
export function slopePoints(points: readonly InalPoint[]): InalPoint[] {
  const sorted = [...points].sort((a, b) => a.n - b.n);
  const firstMiss = sorted.findIndex((p) => !p.resolved);
  return firstMiss < 0 ? sorted : sorted.slice(0, firstMiss);
}

/** Least-squares slope of log INAL against log n over `slopePoints`; null with fewer than two. */
export function inalSlope(points: readonly InalPoint[]): number | null {
  return logLogSlope(slopePoints(points).map((p) => ({ x: p.n, y: p.inal })))?.slope ?? null;
}
