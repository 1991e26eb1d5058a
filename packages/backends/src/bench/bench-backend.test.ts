import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@learnability/core';
import { describeEachBackend } from '../testing/index.js';
import { benchBackend } from './bench-backend.js';

describeEachBackend('benchBackend', (backend) => {
  it('returns positive timings with one sample per repeat, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    // One repeat on cpu: its 1024² matMul is plain JavaScript, ~7 s on a busy core.
    const repeats = backend === 'cpu' ? 1 : 2;
    const result = await benchBackend(backend, { repeats, warmup: 0, mlpSteps: 2 });
    expect(result.backend.name).toBe(backend);
    for (const stats of [result.matMul1024Ms, result.mlpStepsPerSecond]) {
      expect(stats.samples).toHaveLength(repeats);
      expect(stats.min).toBeGreaterThan(0);
      expect(stats.min).toBeLessThanOrEqual(stats.median);
      expect(stats.median).toBeLessThanOrEqual(stats.max);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('benchBackend options', () => {
  it('reports every bad option at once', async () => {
    const error = await benchBackend('cpu', { repeats: 0, mlpSteps: 1.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(
      /repeats: expected an integer ≥ 1, got 0; mlpSteps: expected an integer ≥ 1, got 1.5/,
    );
  });
});
