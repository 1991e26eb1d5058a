import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { replicaRngs } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createSparseParityTask } from '@learnability/parity';
import { expect, it } from 'vitest';
import type { Model } from '@learnability/core';
import { evaluateShared, scoreBatch } from './evaluate.js';

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
    // Hits are counted, not averaged per chunk: the same bits in any chunking.
    for (const chunk of [1, 7, 2048]) expect(await scores(chunk), `chunk ${chunk}`).toEqual(whole);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([test.x, test.y, Object.values(params)]);
  });
});

describeEachBackend('accuracy is hits over rows, rounded once', () => {
  // A model whose prediction is its input, (R, N, out) → (R, N, out): the test sets the hits.
  const identity = { replicas: 1, apply: (_p: unknown, x: tf.Tensor) => x } as unknown as Model;

  it('198 of 200 is 0.99 (learned) for sign and class tasks, in any chunking and for one batch', async () => {
    const n = 200;
    const y = tf.tensor2d(
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1)),
      [n, 1],
    );
    const signs = tf.tensor2d(
      Array.from({ length: n }, (_, i) => (i < 2 ? -1 : 1) * (i % 3 === 0 ? -1 : 1)),
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
        Array.from({ length: n }, (_, i) => (i < 2 ? (i + 1) % 3 : i % 3)),
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
        const { accuracy, error } = evaluateShared(identity, {}, pred, target, kind, chunk);
        const [acc] = await accuracy.data();
        expect(acc, `${kind}, chunk ${chunk}`).toBe(Math.fround(0.99));
        expect(acc).toBeGreaterThanOrEqual(0.99);
        expect((await error.data())[0]).toBe(Math.fround(1 - Math.fround(0.99)));
        tf.dispose([accuracy, error]);
      }
      const batch = tf.tidy(() => scoreBatch(tf.expandDims(pred, 0), tf.expandDims(target, 0), kind));
      expect((await batch.accuracy.data())[0], `${kind}, one batch`).toBe(Math.fround(0.99));
      tf.dispose([batch.accuracy, batch.error]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y, signs, oneHot, classes, classPred, classTarget]);
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
      const { accuracy, error } = evaluateShared(identity, {}, x, y, 'real', chunk);
      expect((await error.data())[0], `chunk ${chunk}`).toBeCloseTo(want, 5);
      expect((await accuracy.data())[0]).toBeNaN();
      tf.dispose([accuracy, error]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });
});
