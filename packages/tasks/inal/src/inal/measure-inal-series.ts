/**
 * INAL of one target against one architecture over a list of input sizes n: the loop behind the
 * CLI's `inal` command and `inal-learnability` experiment and the browser lab's INAL explorer.
 * The caller says how to build the model for each n's task (a registry entry, a preset's model,
 * its own code); the series builds the task, measures it and scores the point with one rule.
 */
import { assert, resolveOptions } from '@learnability/core';
import type { Model } from '@learnability/core';
import { createBooleanTask } from '../boolean-task.js';
import type { BooleanTask } from '../boolean-task.js';
import { inalSeriesPoint } from './inal-slope.js';
import type { InalSeriesPoint } from './inal-slope.js';
import { INAL_SERIES_SCHEMA } from './inal-options.js';
import type { InalSeriesOptions } from './inal-options.js';
import { measureInal } from './measure-inal.js';
import type { InalMeasurement } from './measure-inal.js';

/**
 * `measureInalSeries`'s config: the target, and the options of `INAL_SERIES_SCHEMA` (each
 * optional; its default, reason and range are there).
 */
export interface InalSeriesConfig extends Partial<InalSeriesOptions> {
  /** The target, as a spec string (`parity:1`, `majority`, `staircase:4`, …). Required. */
  target: string;
  /** Inputs per replica in one forward pass (see `InalConfig`). Default: from the model's size. */
  chunkSize?: number;
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
 * the model `createModel(task, inits)` (its `inits` replicas are the R initialisations), then
 * `measureInal` with the rest of `config`. Bad options throw one ConfigError listing each as
 * `inal.<option>: …` before anything is measured. Calls (and awaits) `onStep` after each n; an
 * aborted `signal` stops before the next n. The estimator frees its tensors; the model holds none.
 */
export async function measureInalSeries(
  config: InalSeriesConfig,
  createModel: (task: BooleanTask, replicas: number) => Model,
  onStep?: (step: InalSeriesStep) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<InalSeriesStep[]> {
  const { target, ns, inits, estimator, ...measure } = resolveOptions('inal', INAL_SERIES_SCHEMA, config, [
    'target',
    'chunkSize',
  ]);
  // Left out, the target fell to the Boolean task's default and the series measured another target.
  assert(
    typeof target === 'string',
    () => `measureInalSeries: target must be a spec string like "parity:2", but got ${JSON.stringify(target)}`,
  );
  const steps: InalSeriesStep[] = [];
  for (const n of ns) {
    if (signal?.aborted) break;
    const task = createBooleanTask({ target, n, seed: measure.seed });
    const model = createModel(task, inits);
    assert(
      model.replicas === inits,
      () =>
        `measureInalSeries: createModel must build ${inits} replicas (inits), but "${model.name}" has ${model.replicas}`,
    );
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
