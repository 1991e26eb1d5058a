/**
 * A learning outcome, not a kernel check: one backend (wasm, one thread — the fastest here) is
 * enough. The other tests of this package run the numerics on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { createRng, replicaRngs } from '@learnability/core';
import {
  createAveraging,
  createInContextTask,
  createNearestNeighbours,
  errorByExamples,
  learnerErrorByExamples,
} from '@learnability/in-context';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoopedTransformer } from '@learnability/looped-transformer';
import { createLoopedAdam } from './looped-adam.js';

const STEPS = 400;

describe('learning in context [wasm]', () => {
  beforeAll(async () => {
    await setupBackend('wasm', { threads: 1 });
  });

  it(`a 2-layer, D = 32 transformer learns 2-d linear regression in context within ${STEPS} steps: mean error/d over k = 2..4 < 0.6 (≈ 1 without the context) and below averaging and 3-NN at each k`, async () => {
    const dims = 2;
    const points = 5;
    const task = createInContextTask({ family: 'linear-regression', dims, points });
    const model = createLoopedTransformer({ tokens: 2 * points, tokenSize: dims, embedSize: 32, heads: 2, layers: 2 });
    const trainer = createLoopedAdam({ lr: 3e-3 });
    const before = tf.memory().numTensors;
    let state = trainer.init(model, model.init(replicaRngs(0, 1)));
    const rng = createRng(1);
    for (let step = 1; step <= STEPS; step++) {
      const b = task.sample(64, rng, step);
      const batch = { x: tf.expandDims(b.x, 0), y: tf.expandDims(b.y, 0) };
      const result = trainer.step(state, batch);
      state = result.state;
      tf.dispose([b.x, b.y, batch.x, batch.y, result.loss]);
    }
    const test = task.testSet(1000, 7);
    const x = tf.expandDims(test.x, 0);
    const pred = model.apply(state.params, x);
    const host = { x: test.host?.x ?? new Float32Array(), y: test.host?.y ?? new Float32Array() };
    const err = errorByExamples((await pred.data()) as Float32Array, host.y, points, task.errorScale);
    tf.dispose([test.x, test.y, x, pred]);
    trainer.dispose(state);
    expect(tf.memory().numTensors).toBe(before);
    // A fresh w per prompt: without reading the context no predictor beats error/d ≈ 1 at any k.
    const averaging = learnerErrorByExamples(createAveraging(), host, points, dims, task.errorScale);
    const nn = learnerErrorByExamples(createNearestNeighbours(3), host, points, dims, task.errorScale);
    const shown = Array.from(err, (v) => v.toFixed(3)).join(', ');
    expect(((err[2] as number) + (err[3] as number) + (err[4] as number)) / 3, `error/d by k: ${shown}`).toBeLessThan(
      0.6,
    );
    for (const k of [2, 3, 4]) {
      expect(err[k] as number, `k = ${k} vs averaging`).toBeLessThan(averaging[k] as number);
      expect(err[k] as number, `k = ${k} vs 3-NN`).toBeLessThan(nn[k] as number);
    }
  });
});
