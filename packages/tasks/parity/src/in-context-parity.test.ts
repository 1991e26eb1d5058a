import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { ConfigError, createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { createInContextParityTask, sampleInContextParity } from './in-context-parity.js';
import { parityOfRow } from './parity-sampling.js';

describeEachBackend('in-context-parity', () => {
  describeTaskContract('in-context parity n=8 k=3 m=12', () => createInContextParityTask({ n: 8, k: 3, examples: 12 }));

  describe('createInContextParityTask', () => {
    it('lays out m labelled rows and a masked query row, each prompt with its own subset', () => {
      const n = 6;
      const m = 10;
      const { x, y, subsets } = sampleInContextParity(50, { n, k: 2, examples: m }, createRng(1));
      const cols = n + 1;
      expect(x.length).toBe(50 * (m + 1) * cols);
      expect(new Set(subsets.map((s) => s.join())).size).toBeGreaterThan(5);
      for (let p = 0; p < 50; p++) {
        const base = p * (m + 1) * cols;
        const subset = subsets[p] as number[];
        expect(subset.length).toBe(2);
        for (let row = 0; row < m; row++)
          expect(x[base + row * cols + n]).toBe(parityOfRow(x, base + row * cols, subset));
        expect(x[base + m * cols + n]).toBe(0);
        expect(y[p]).toBe(parityOfRow(x, base + m * cols, subset));
      }
    });

    it('refuses a sample count that is not an integer ≥ 0, as the sparse task does', () => {
      const options = { n: 5, k: 2, examples: 7 };
      for (const count of [Number.NaN, -1])
        expect(() => sampleInContextParity(count, options, createRng(0))).toThrow(
          `in-context parity sampling: the sample count must be an integer ≥ 0, but got ${count}`,
        );
    });

    it('sampleInContextParity checks its options as the task does (examples −1 drew empty prompts, n "3" concatenated)', () => {
      expect(() => sampleInContextParity(2, { n: 5, k: 2, examples: -1 }, createRng(0))).toThrow(
        'in-context-parity.examples: expected an integer ≥ 0, but got -1',
      );
      expect(() => sampleInContextParity(2, { n: '3' as never, k: 2, examples: 1 }, createRng(0))).toThrow(
        /^in-context-parity\.n: expected an integer ≥ 1, but got "3"/,
      );
    });

    it('has shape (B, m+1, n+1), sequence layout, and host arrays equal to the tensors', async () => {
      const task = createInContextParityTask({ n: 5, k: 2, examples: 7 });
      expect(task.inputShape).toEqual([8, 6]);
      expect([task.layout, task.outputKind, task.outputSize]).toEqual(['sequence', 'sign', 1]);
      const batch = task.sample(4, createRng(2));
      expect(batch.x.shape).toEqual([4, 8, 6]);
      expect(Array.from(await batch.x.data())).toEqual(Array.from(batch.host?.x ?? []));
      expect(Array.from(await batch.y.data())).toEqual(Array.from(batch.host?.y ?? []));
      tf.dispose([batch.x, batch.y]);
    });

    it('flips labels with noise but keeps the test set clean', () => {
      const n = 4;
      const m = 3;
      const noisy = sampleInContextParity(4000, { n, k: 2, examples: m, noise: 0.25 }, createRng(3));
      let flips = 0;
      for (let p = 0; p < 4000; p++)
        if (noisy.y[p] !== parityOfRow(noisy.x, p * (m + 1) * (n + 1) + m * (n + 1), noisy.subsets[p] as number[]))
          flips++;
      expect(Math.abs(flips / 4000 - 0.25)).toBeLessThan(0.035);
      // Clean: some pair of bits gives every example's label and the query's. With 12 examples
      // each flipped w.p. ¼, nearly every noisy prompt would have none (1 − ¾¹³ ≈ 98 %).
      const rows = 12;
      const task = createInContextParityTask({ n, k: 2, examples: rows, noise: 0.25 });
      const test = task.testSet(50, 1);
      const x = test.host?.x ?? new Float32Array();
      const y = test.host?.y ?? new Float32Array();
      const pairs = [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].filter((j) => j > i).map((j) => [i, j]));
      const cols = n + 1;
      for (let p = 0; p < 50; p++) {
        const base = p * (rows + 1) * cols;
        const explains = (pair: number[]) =>
          Array.from(
            { length: rows },
            (_, r) => x[base + r * cols + n] === parityOfRow(x, base + r * cols, pair),
          ).every(Boolean) && y[p] === parityOfRow(x, base + rows * cols, pair);
        expect(pairs.some(explains), `test prompt ${p}`).toBe(true);
      }
      tf.dispose([test.x, test.y]);
    });

    it('rejects bad configs with every issue', () => {
      expect(() => createInContextParityTask({ n: 3, k: -1, examples: -1 })).toThrow(ConfigError);
      expect(() => createInContextParityTask({ n: 0, k: -1, examples: -1, noise: 1 })).toThrow(
        'in-context-parity.n: expected an integer ≥ 1, but got 0; in-context-parity.k: expected an integer ≥ 0, but got -1; in-context-parity.examples: expected an integer ≥ 0, but got -1; in-context-parity.noise: expected a number in [0, 0.5], but got 1',
      );
      // The k ≤ n rule runs once every option is valid on its own.
      expect(() => createInContextParityTask({ n: 3, k: 4, examples: 2 })).toThrow(
        /^in-context-parity\.k: must be ≤ n \(3\), but got 4$/,
      );
    });
  });
});
