/**
 * INAL of one target against one architecture over a list of input sizes n: the loop behind the
 * CLI's `inal` command and `inal-learnability` experiment and the browser lab's INAL explorer.
 * The caller says how to build the model for each n's task (a registry entry, a preset's model,
 * its own code); the series builds the task, measures it and scores the point with one rule.
 */
import type { Model } from '@learnability/core';
import { createBooleanTask } from '../boolean-task.js';
import type { BooleanTask } from '../boolean-task.js';
import { inalSeriesPoint } from './inal-slope.js';
import type { InalEstimator, InalSeriesPoint } from './inal-slope.js';
import { measureInal } from './measure-inal.js';
import type { InalConfig, InalMeasurement } from './measure-inal.js';

export interface InalSeriesConfig extends Omit<InalConfig, 'params'> {
  /** The target, as a spec string (`parity:1`, `majority`, `staircase:4`, …). Required. */
  target: string;
  /** Input sizes n, measured in this order. Required. */
  ns: readonly number[];
  /** Which statistic of each measurement is the point's INAL (see `inalSeriesPoint`). Default 'pooled'. */
  estimator?: InalEstimator;
}

/** One n of a series: its point (the chosen estimate), the whole measurement, and its wall time. */
export interface InalSeriesStep {
  point: InalSeriesPoint;
  measurement: InalMeasurement;
  /** Wall time of the measurement in seconds (building the task and model not included). */
  seconds: number;
}

/**
 * Measures INAL at every n of `config.ns` in order: the task `createBooleanTask({ target, n, seed })`,
 * the model `createModel(task)` (its R replicas are the R initialisations), then `measureInal`
 * with the rest of `config`. Calls (and awaits) `onStep` after each n; an aborted `signal` stops
 * before the next n. The estimator frees its tensors; the model holds none.
 */
export async function measureInalSeries(
  config: InalSeriesConfig,
  createModel: (task: BooleanTask) => Model,
  onStep?: (step: InalSeriesStep) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<InalSeriesStep[]> {
  const { target, ns, estimator = 'pooled', ...measure } = config;
  const steps: InalSeriesStep[] = [];
  for (const n of ns) {
    if (signal?.aborted) break;
    const task = createBooleanTask({ target, n, seed: measure.seed ?? 0 });
    const model = createModel(task);
    const started = performance.now();
    const measurement = await measureInal(model, task.target, measure);
    const step = {
      point: inalSeriesPoint(measurement, estimator),
      measurement,
      seconds: (performance.now() - started) / 1000,
    };
    steps.push(step);
    await onStep?.(step);
  }
  return steps;
}
