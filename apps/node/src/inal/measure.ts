/**
 * INAL of one target against one model over a list of n: the loop behind `learnability inal` and
 * the `inal-learnability` experiment, and the log–log slope of INAL vs n.
 */
import { createBooleanTask, estimateInal, fitInalSlope, inalEstimate } from '@learnability/inal';
import type { InalEstimator, InalResult } from '@learnability/inal';
import { buildModel } from './model-config.js';
import type { ModelChoice } from './model-config.js';

export type Estimator = InalEstimator;

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

export interface InalPoint {
  n: number;
  /** The chosen estimator's value and 95 % interval. */
  inal: number;
  ciLow: number;
  ciHigh: number;
  /** Alignment is detected (`inalEstimate`); only these points enter the slope fit. */
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
  return {
    n: r.n,
    ...inalEstimate(r, estimator),
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

/** The log–log slope of INAL vs n over the resolved points (`fitInalSlope`); null with fewer than two. */
export function inalSlope(points: readonly InalPoint[]): number | null {
  return fitInalSlope(points)?.slope ?? null;
}
