import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose } from '@learnability/core/testing';
import { createMlpBench } from './bench/mlp-step.js';
import { describeEachBackend } from './testing/index.js';
import { referenceMatMul, seededNormals } from './test-support/reference.js';

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

/** float32 kernels against float64 references. */
const TOL = { atol: 1e-4, rtol: 1e-4 };

describeEachBackend('kernels', () => {
  for (const [transposeA, transposeB] of FLAGS) {
    for (const batch of [1, 3]) {
      it(`matMul matches a plain-JS reference (batch ${batch}, transposeA ${transposeA}, transposeB ${transposeB})`, async () => {
        const [m, k, n] = [5, 7, 4];
        const aShape = transposeA ? [k, m] : [m, k];
        const bShape = transposeB ? [n, k] : [k, n];
        const aValues = seededNormals(batch * k * m, 1);
        const bValues = seededNormals(batch * k * n, 2);
        const lead = batch === 1 ? [] : [batch];
        const c = tf.tidy(() =>
          tf.matMul(
            tf.tensor(aValues, [...lead, ...aShape]),
            tf.tensor(bValues, [...lead, ...bShape]),
            transposeA,
            transposeB,
          ),
        );
        expect(c.shape).toEqual([...lead, m, n]);
        const expected = referenceMatMul(
          aValues,
          aShape[0] ?? 0,
          aShape[1] ?? 0,
          bValues,
          bShape[0] ?? 0,
          bShape[1] ?? 0,
          batch,
          transposeA,
          transposeB,
        );
        await expectClose(await c.data(), expected, { ...TOL, what: 'matMul' });
        c.dispose();
      });
    }
  }

  it('relu, sum and mean match a plain-JS reference', async () => {
    const values = seededNormals(24, 3);
    const x = tf.tensor(values, [4, 6]);
    const [relu, sumAll, sumRows, mean, meanCols] = [tf.relu(x), tf.sum(x), tf.sum(x, 1), tf.mean(x), tf.mean(x, 0)];
    const v = Array.from(values);
    const row = (r: number): number[] => v.slice(r * 6, r * 6 + 6);
    const col = (c: number): number[] => [0, 1, 2, 3].map((r) => v[r * 6 + c] ?? Number.NaN);
    const total = v.reduce((s, t) => s + t, 0);
    await expectClose(
      await relu.data(),
      v.map((t) => Math.max(t, 0)),
      { ...TOL, what: 'relu' },
    );
    await expectClose(await sumAll.data(), [total], { ...TOL, what: 'sum' });
    await expectClose(
      await sumRows.data(),
      [0, 1, 2, 3].map((r) => row(r).reduce((s, t) => s + t, 0)),
      { ...TOL, what: 'sum(axis 1)' },
    );
    await expectClose(await mean.data(), [total / 24], { ...TOL, what: 'mean' });
    await expectClose(
      await meanCols.data(),
      [0, 1, 2, 3, 4, 5].map((c) => col(c).reduce((s, t) => s + t, 0) / 4),
      { ...TOL, what: 'mean(axis 0)' },
    );
    tf.dispose([x, relu, sumAll, sumRows, mean, meanCols]);
  });

  it('an SGD training step leaves tf.memory().numTensors unchanged and lowers the loss', async () => {
    const mlp = createMlpBench(7);
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const loss = mlp.step();
      losses.push((await loss.data())[0] ?? Number.NaN);
      loss.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    mlp.dispose();
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[4]).toBeLessThan(losses[0] ?? Number.NaN);
  });
});
