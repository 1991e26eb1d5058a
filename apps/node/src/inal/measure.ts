/**
 * INAL of one target against one model over a list of n: the loop behind `learnability inal` and
 * the `inal-learnability` experiment, and the log–log slope of INAL vs n.
 */
import { createBooleanTask, fitInalSlope, inalSeriesPoint, measureInal as measureInalAt } from '@learnability/inal';
import type { InalEstimator, InalFit, InalMeasurement, InalSeriesPoint } from '@learnability/inal';
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

/** A series point (the chosen estimate; `resolved` points enter the slope fit) with both estimators and each layer. */
export interface InalPoint extends InalSeriesPoint {
  max: { inal: number; ciLow: number; ciHigh: number; stderr: number };
  pooled: { inal: number; ciLow: number; ciHigh: number; stderr: number; layer: number };
  /** Per layer: max over its neurons and its neuron average. */
  layers: { layer: number; width: number; max: number; mean: number }[];
  seconds: number;
}

function point(r: InalMeasurement, estimator: Estimator, seconds: number): InalPoint {
  return {
    ...inalSeriesPoint(r, estimator),
    max: { inal: r.inal, ciLow: r.ciLow, ciHigh: r.ciHigh, stderr: r.stderr },
    pooled: r.pooled,
    layers: r.layers.map((l) => ({ layer: l.layer, width: l.width, max: l.max, mean: l.mean })),
    seconds,
  };
}

/** Measures every n in order, calling `onPoint` after each. */
export async function measureInal(
  target: string,
  model: ModelChoice,
  o: MeasureOptions,
  onPoint?: (p: InalPoint) => void,
): Promise<InalPoint[]> {
  const points: InalPoint[] = [];
  for (const n of o.ns) {
    const task = createBooleanTask({ target, n, seed: o.seed });
    const started = performance.now();
    const result = await measureInalAt(buildModel(model, task, o.inits), task.target, {
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

/** The weighted log–log fit of INAL vs n over the resolved points (`fitInalSlope`); null with fewer than two. */
export function inalSlope(points: readonly InalPoint[]): InalFit | null {
  return fitInalSlope(points);
}
