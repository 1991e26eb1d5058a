import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createDense } from '@learnability/dense';
import { expect, it } from 'vitest';
import { createBooleanTask } from '../boolean-task.js';
import { inalSeriesPoint } from './inal-slope.js';
import { measureInal } from './measure-inal.js';
import { measureInalSeries } from './measure-inal-series.js';

const R = 4;
const dense = (n: number) => createDense({ inputSize: n, widths: [8], replicas: R, bias: 'fan-in' });

describeEachBackend('measureInalSeries', () => {
  it('measures each n as measureInal does on that n, in order, and leaks no tensor', async () => {
    const config = { target: 'parity:2', ns: [6, 4, 8], exactMaxBits: 6, samples: 512, seed: 3 };
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const steps = await measureInalSeries(
      { ...config, estimator: 'max' },
      (task) => dense(task.inputShape[0] as number),
      (s) => void seen.push(s.point.n),
    );
    expect(tf.memory().numTensors, 'tensors after the series').toBe(before);
    expect(seen).toEqual([6, 4, 8]);
    expect(steps.map((s) => [s.point.n, s.measurement.method])).toEqual([
      [6, 'exact'],
      [4, 'exact'],
      [8, 'sampled'],
    ]);
    for (const [i, n] of config.ns.entries()) {
      const task = createBooleanTask({ target: config.target, n, seed: config.seed });
      const direct = await measureInal(dense(n), task.target, {
        exactMaxBits: config.exactMaxBits,
        samples: config.samples,
        seed: config.seed,
      });
      const step = steps[i];
      expect(step?.measurement.inal).toBe(direct.inal);
      expect(step?.measurement.pooled).toEqual(direct.pooled);
      expect(step?.point).toEqual(inalSeriesPoint(direct, 'max'));
      expect(step?.seconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('uses the pooled estimator by default and stops before the next n once aborted', async () => {
    const abort = new AbortController();
    const steps = await measureInalSeries(
      { target: 'parity:1', ns: [4, 5, 6], exactMaxBits: 6, seed: 0 },
      (task) => dense(task.inputShape[0] as number),
      () => abort.abort(),
      abort.signal,
    );
    expect(steps).toHaveLength(1);
    const step = steps[0];
    expect(step?.point.inal).toBe(step?.measurement.pooled.inal);
  });
});
