import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { ConfigError } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { describe, expect, it } from 'vitest';
import { createBooleanTask } from '../boolean-task.js';
import { inalSeriesPoint } from './inal-slope.js';
import { measureInal } from './measure-inal.js';
import { measureInalSeries } from './measure-inal-series.js';
import type { InalSeriesConfig } from './measure-inal-series.js';

const R = 4;
const dense = (n: number, replicas = R) => createDense({ inputSize: n, widths: [8], replicas, bias: 'fan-in' });

describeEachBackend('measureInalSeries', () => {
  it('measures each n as measureInal does on that n, in order, and leaks no tensor', async () => {
    const config = { target: 'parity:2', ns: [6, 4, 8], inits: R, exactMaxBits: 6, samples: 512, seed: 3 };
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const steps = await measureInalSeries(
      { ...config, estimator: 'max' },
      (task, replicas) => dense(task.inputShape[0] as number, replicas),
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
      { target: 'parity:1', ns: [4, 5, 6], inits: R, exactMaxBits: 6, seed: 0 },
      (task, replicas) => dense(task.inputShape[0] as number, replicas),
      () => abort.abort(),
      abort.signal,
    );
    expect(steps).toHaveLength(1);
    const step = steps[0];
    expect(step?.point.inal).toBe(step?.measurement.pooled.inal);
  });
});

describe('measureInalSeries options', () => {
  const bad = (config: Record<string, unknown>) =>
    // A config as read from JSON: the checks, not the types, must catch what is wrong.
    measureInalSeries({ target: 'parity:1', ...config } as { target: string }, (task, replicas) =>
      dense(task.inputShape[0] as number, replicas),
    ).then(
      () => [],
      (e: unknown) => (e instanceof ConfigError ? e.issues.map((i) => `${i.path}: ${i.message}`) : [String(e)]),
    );

  it('reports every bad option at once, each at its path, before measuring anything', async () => {
    expect(await bad({ ns: [4, 0], inits: 1, estimator: 'mean', samples: 1, confidence: 1.5, sample: 9 })).toEqual([
      'inal.sample: unknown option "sample"; did you mean "samples"? known: ns, inits, estimator, method, exactMaxBits, samples, pilotSamples, seed, confidence, pooledMinWidth, target, chunkSize',
      'inal.ns: expected a non-empty list of integers in [1, 1048576], e.g. [8, 16, 32], but got [4,0]',
      'inal.inits: expected an integer ≥ 2, but got 1',
      'inal.estimator: expected one of "pooled", "max", but got "mean"',
      'inal.samples: expected an integer ≥ 2, but got 1',
      'inal.confidence: expected a number > 0 and ≤ 1, but got 1.5',
    ]);
  });

  it('checks the rules across options once every field is valid, and that the model has inits replicas', async () => {
    // A repeated n would be a second point at the same n, counted twice in the slope's fit.
    expect(await bad({ ns: [4, 8, 4] })).toEqual(['inal.ns: expected each value once, but 4 is listed twice']);
    expect(await bad({ ns: [4], confidence: 1 })).toEqual([
      'inal.confidence: must be below 1 (a 100 % interval has no finite bound), but got 1',
    ]);
    const wrong = measureInalSeries({ target: 'parity:1', ns: [4], inits: 3 }, (task) =>
      dense(task.inputShape[0] as number, 2),
    );
    await expect(wrong).rejects.toThrow('createModel must build 3 replicas (inits), but "dense" has 2');
    // Left out (plain JS), the target fell to the Boolean task's default.
    const none = measureInalSeries({ ns: [4], inits: 2 } as unknown as InalSeriesConfig, (task) =>
      dense(task.inputShape[0] as number, 2),
    );
    await expect(none).rejects.toThrow(
      'measureInalSeries: target must be a spec string like "parity:2", but got undefined',
    );
  });
});
