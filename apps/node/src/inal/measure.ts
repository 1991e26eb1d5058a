/**
 * INAL of one target against one model over a list of n (the package's `measureInalSeries`, with
 * the model from the CLI's `--model`): what `learnability inal` and the `inal-learnability`
 * experiment print, and the log–log slope of INAL vs n.
 */
import { fitInalSlope, measureInalSeries } from '@learnability/inal';
import type { InalEstimator, InalFit, InalSeriesOptions, InalSeriesPoint, InalSeriesStep } from '@learnability/inal';
import { buildModel } from './model-config.js';
import type { ModelChoice } from './model-config.js';

export type Estimator = InalEstimator;

/** The series options the CLI sets (the others take `INAL_SERIES_SCHEMA`'s defaults). */
export type MeasureOptions = Pick<
  InalSeriesOptions,
  'ns' | 'inits' | 'samples' | 'exactMaxBits' | 'seed' | 'estimator'
>;

/** A series point (the chosen estimate; `resolved` points enter the slope fit) with both estimators and each layer. */
export interface InalPoint extends InalSeriesPoint {
  max: { inal: number; ciLow: number; ciHigh: number; stderr: number };
  pooled: { inal: number; ciLow: number; ciHigh: number; stderr: number; layer: number };
  /** Per layer: max over its neurons and its neuron average. */
  layers: { layer: number; width: number; max: number; mean: number }[];
  seconds: number;
}

function point({ point: chosen, measurement: r, seconds }: InalSeriesStep): InalPoint {
  return {
    ...chosen,
    max: { inal: r.inal, ciLow: r.ciLow, ciHigh: r.ciHigh, stderr: r.stderr },
    pooled: r.pooled,
    layers: r.layers.map((l) => ({ layer: l.layer, width: l.width, max: l.max, mean: l.mean })),
    seconds,
  };
}

/**
 * The refusal of a `--samples` given where it changes nothing: it sizes the sampled estimate, and
 * every n is at most `exactMaxBits` (`bound`, as the command names that limit), so enumerated exactly.
 */
export function samplesUnread(
  given: ReadonlySet<string>,
  ns: readonly number[],
  exactMaxBits: number,
  bound: string,
): string[] {
  if (!given.has('samples') || ns.some((n) => n > exactMaxBits)) return [];
  return [
    `--samples: sizes the sampled estimate, but every n (${ns.join(', ')}) is at most ${bound} and enumerated exactly; drop --samples, or add a larger n`,
  ];
}

/** Measures every n in order, calling `onPoint` after each. */
export async function measureInal(
  target: string,
  model: ModelChoice,
  o: MeasureOptions,
  onPoint?: (p: InalPoint) => void,
): Promise<InalPoint[]> {
  const points: InalPoint[] = [];
  await measureInalSeries(
    { target, ...o },
    (task, replicas) => buildModel(model, task, replicas),
    (step) => {
      const p = point(step);
      points.push(p);
      onPoint?.(p);
    },
  );
  return points;
}

/** The weighted log–log fit of INAL vs n over the resolved points (`fitInalSlope`); null with fewer than two. */
export function inalSlope(points: readonly InalPoint[]): InalFit | null {
  return fitInalSlope(points);
}
