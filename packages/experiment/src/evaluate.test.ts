import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { replicaRngs } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createSparseParityTask } from '@learnability/parity';
import { expect, it } from 'vitest';
import type { Model } from '@learnability/core';
import { evaluateShared, hostScores, scoreBatch } from './evaluate.js';

describeEachBackend('evaluateShared in chunks (run.evalChunk)', () => {
  it('gives the same scores in chunks of 1, 7 and all 50 rows, up to rounding, and keeps no tensor', async () => {
    const task = createSparseParityTask({ n: 8, k: 2, seed: 3 });
    const model = createDense({ inputSize: 8, widths: [16], replicas: 2 });
    const params = model.init(replicaRngs(0, 2));
    const test = task.testSet(50, 5);
    const before = tf.memory().numTensors;
    const scores = async (chunk: number) => {
      const device = evaluateShared(model, params, test.x, test.y, task.outputKind, chunk);
      const out = await hostScores(device);
      device.value.dispose();
      return out;
    };
    const whole = await scores(50);
    // Hits are counted, not averaged per chunk: the same bits in any chunking.
    for (const chunk of [1, 7, 2048]) expect(await scores(chunk), `chunk ${chunk}`).toEqual(whole);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([test.x, test.y, Object.values(params)]);
  });
});

describeEachBackend('accuracy is hits over rows, divided on the host', () => {
  // A model whose prediction is its input, (R, N, out) → (R, N, out): the test sets the hits.
  const identity = { replicas: 1, apply: (_p: unknown, x: tf.Tensor) => x } as unknown as Model;

  // 1,900 of 2,000 in float32 is 0.94999999, below a 0.95 threshold; 198 of 200 rounds up to 0.99.
  for (const [n, wrong, threshold] of [
    [200, 2, 0.99],
    [2000, 100, 0.95],
    [1000, 100, 0.9],
    [1000, 300, 0.7],
  ] as const)
    it(`${n - wrong} of ${n} is ${threshold} exactly (learned at that threshold), for sign and class tasks, in any chunking and for one batch`, async () => {
      const y = tf.tensor2d(
        Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1)),
        [n, 1],
      );
      const signs = tf.tensor2d(
        Array.from({ length: n }, (_, i) => (i < wrong ? -1 : 1) * (i % 3 === 0 ? -1 : 1)),
        [n, 1],
      );
      const oneHot = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: n }, (_, i) => i % 3),
          'int32',
        ),
        3,
      );
      const classes = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: n }, (_, i) => (i < wrong ? (i + 1) % 3 : i % 3)),
          'int32',
        ),
        3,
      );
      const [classPred, classTarget] = [tf.cast(classes, 'float32'), tf.cast(oneHot, 'float32')];
      const cases = [
        { kind: 'sign', pred: signs, target: y },
        { kind: 'class', pred: classPred, target: classTarget },
      ] as const;
      const before = tf.memory().numTensors;
      for (const { kind, pred, target } of cases) {
        for (const chunk of [7, 64, n]) {
          const device = evaluateShared(identity, {}, pred, target, kind, chunk);
          const { accuracy, error } = await hostScores(device);
          expect(accuracy, `${kind}, chunk ${chunk}`).toEqual([threshold]);
          expect(error).toEqual([1 - threshold]);
          device.value.dispose();
        }
        const [p, t] = [tf.expandDims(pred, 0), tf.expandDims(target, 0)];
        const batch = scoreBatch(p, t, kind);
        expect((await hostScores(batch)).accuracy, `${kind}, one batch`).toEqual([threshold]);
        tf.dispose([batch.value, p, t]);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([y, signs, oneHot, classes, classPred, classTarget]);
    });

  it('a sign task with several outputs scores each output: 3 of 4 right is 0.75, in any chunking and for one batch', async () => {
    // 2 examples × 2 outputs, one output wrong.
    const target = tf.tensor2d([1, -1, -1, 1], [2, 2]);
    const pred = tf.tensor2d([1, -1, 1, 1], [2, 2]);
    for (const chunk of [1, 2]) {
      const device = evaluateShared(identity, {}, pred, target, 'sign', chunk);
      expect((await hostScores(device)).accuracy, `chunk ${chunk}`).toEqual([0.75]);
      device.value.dispose();
    }
    const [p, t] = [tf.expandDims(pred, 0), tf.expandDims(target, 0)];
    const batch = scoreBatch(p, t, 'sign');
    expect((await hostScores(batch)).accuracy).toEqual([0.75]);
    tf.dispose([batch.value, p, t, pred, target]);
  });

  it('a real-valued task scores the mean squared error over all rows, a partial last chunk weighted by its size; no accuracy', async () => {
    // 50 rows of 2 outputs: chunks of 7 leave a last chunk of 1, whose mean must count once, not 7 times.
    const n = 50;
    const pred = Array.from({ length: 2 * n }, (_, i) => Math.sin(i) * 2);
    const target = Array.from({ length: 2 * n }, (_, i) => Math.cos(i * 0.7));
    const want = pred.reduce((sum, p, i) => sum + (p - (target[i] as number)) ** 2, 0) / (2 * n);
    const [x, y] = [tf.tensor2d(pred, [n, 2]), tf.tensor2d(target, [n, 2])];
    const before = tf.memory().numTensors;
    for (const chunk of [1, 7, n]) {
      const device = evaluateShared(identity, {}, x, y, 'real', chunk);
      const { accuracy, error } = await hostScores(device);
      expect(error[0], `chunk ${chunk}`).toBeCloseTo(want, 5);
      expect(accuracy[0]).toBeNaN();
      device.value.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });
});
