import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { replicaRngs } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createSparseParityTask } from '@learnability/parity';
import { expect, it } from 'vitest';
import { evaluateShared } from './evaluate.js';

describeEachBackend('evaluateShared in chunks (run.evalChunk)', () => {
  it('gives the same scores in chunks of 1, 7 and all 50 rows, up to rounding, and keeps no tensor', async () => {
    const task = createSparseParityTask({ n: 8, k: 2, seed: 3 });
    const model = createDense({ inputSize: 8, widths: [16], replicas: 2 });
    const params = model.init(replicaRngs(0, 2));
    const test = task.testSet(50, 5);
    const before = tf.memory().numTensors;
    const scores = async (chunk: number) => {
      const { accuracy, error } = evaluateShared(model, params, test.x, test.y, task.outputKind, chunk);
      const out = { accuracy: Array.from(await accuracy.data()), error: Array.from(await error.data()) };
      tf.dispose([accuracy, error]);
      return out;
    };
    const whole = await scores(50);
    // Float32 sums of chunk means weighted by their sizes: equal to 6 digits; one prediction of 50 more or less moves 0.02.
    for (const chunk of [1, 7, 2048]) {
      const got = await scores(chunk);
      for (const r of [0, 1]) {
        expect(got.accuracy[r], `chunk ${chunk}, replica ${r}`).toBeCloseTo(whole.accuracy[r] as number, 6);
        expect(got.error[r], `chunk ${chunk}, replica ${r}`).toBeCloseTo(whole.error[r] as number, 6);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([test.x, test.y, Object.values(params)]);
  });
});
