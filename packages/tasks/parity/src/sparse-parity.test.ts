import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { ConfigError, createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { parityOfRow } from './parity-sampling.js';
import { createSparseParityTask } from './sparse-parity.js';

describeEachBackend('sparse-parity', () => {
  describeTaskContract('sparse parity n=20 k=3', () => createSparseParityTask({ n: 20, k: 3, seed: 1 }));
  describeTaskContract('full parity n=10, 01 encoding', () => createSparseParityTask({ n: 10, k: 10, encoding: '01' }));
  describeTaskContract('noisy sparse parity η=0.1', () => createSparseParityTask({ n: 30, k: 4, noise: 0.1 }));

  describe('createSparseParityTask', () => {
    it('draws the hidden subset from the seed, or takes the one given', () => {
      const a = createSparseParityTask({ n: 50, k: 5, seed: 3 });
      expect(a.subset).toEqual(createRng(3).subset(50, 5));
      expect(createSparseParityTask({ n: 50, k: 5, seed: 3 }).subset).toEqual(a.subset);
      expect(createSparseParityTask({ n: 50, k: 5, seed: 4 }).subset).not.toEqual(a.subset);
      expect(createSparseParityTask({ n: 10, k: 3, subset: [7, 2, 5] }).subset).toEqual([2, 5, 7]);
      expect(createSparseParityTask({ n: 10, k: 10 }).subset).toEqual([...Array(10).keys()]);
    });

    it('gives shapes, kinds and labels y = Π_{i∈S} x_i, host arrays equal to the tensors', async () => {
      const task = createSparseParityTask({ n: 16, k: 4, seed: 2 });
      expect(task.inputShape).toEqual([16]);
      expect([task.outputSize, task.outputKind, task.layout]).toEqual([1, 'sign', 'vector']);
      const batch = task.sample(64, createRng(7));
      const host = batch.host;
      if (!host) throw new Error('expected host arrays');
      expect(Array.from(await batch.x.data())).toEqual(Array.from(host.x));
      for (let r = 0; r < 64; r++) expect(host.y[r]).toBe(parityOfRow(host.x, r * 16, task.subset));
      expect(task.sampleHost(64, createRng(7))).toEqual(host);
      tf.dispose([batch.x, batch.y]);
    });

    it('keeps the test set clean even with label noise', async () => {
      const task = createSparseParityTask({ n: 12, k: 3, noise: 0.5 });
      const test = task.testSet(400, 1);
      const x = await test.x.data();
      const y = await test.y.data();
      for (let r = 0; r < 400; r++) expect(y[r]).toBe(parityOfRow(x, r * 12, task.subset));
      tf.dispose([test.x, test.y]);
    });

    it('reports every config problem at once', () => {
      let error: unknown;
      try {
        createSparseParityTask({ n: 0, k: -1, noise: 0.7, encoding: 'bits' as '01' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const paths = (error as ConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(['sparse-parity.n', 'sparse-parity.k', 'sparse-parity.noise', 'sparse-parity.encoding']);
      expect(() => createSparseParityTask({ n: 0, k: -1, noise: 0.7 })).toThrow(
        'sparse-parity.n: expected an integer in [1, 1048576], but got 0; sparse-parity.k: expected an integer ≥ 0, but got -1; sparse-parity.noise: expected a number in [0, 0.5], but got 0.7',
      );
      expect(() => createSparseParityTask({ n: 4, k: 5 })).toThrow(/^sparse-parity\.k: must be ≤ n \(4\), but got 5$/);
      expect(() => createSparseParityTask({ n: 5, k: 2, subset: [1, 1] })).toThrow(
        /sparse-parity.subset: must hold distinct/,
      );
      expect(() => createSparseParityTask({ n: 5, k: 2, subset: [1] })).toThrow(/must have k = 2 entries/);
      expect(() => createSparseParityTask({ n: 5, k: 2, subset: '12' as never })).toThrow(
        'sparse-parity.subset: must be an array of k = 2 distinct indices in [0, 5), but got "12"',
      );
    });

    it('refuses a sample count that is not an integer ≥ 0, or a seed where a generator goes', () => {
      const task = createSparseParityTask({ n: 6, k: 2 });
      for (const count of [Number.NaN, -1, 2.5])
        expect(() => task.sample(count, createRng(0))).toThrow(
          `parity sampling: the sample count must be an integer ≥ 0, but got ${count}`,
        );
      expect(() => task.sample(4, 0 as never)).toThrow(
        "parity sampling: expected a generator (createRng(seed) from @learnability/core), but got 0; a task's testSet takes a seed, its sample a generator",
      );
    });

    it('describe() names the hidden subset, and the seed only where it drew it', () => {
      expect(createSparseParityTask({ n: 6, k: 2, subset: [0, 3] }).describe()).toEqual({
        name: 'sparse-parity',
        n: 6,
        k: 2,
        subset: [0, 3],
        noise: 0,
        encoding: 'pm1',
      });
      const drawn = createSparseParityTask({ n: 6, k: 2, seed: 4 });
      expect(drawn.describe()).toMatchObject({ subset: [...drawn.subset], seed: 4 });
      // Beside a given subset a seed changed nothing, yet the record showed it.
      expect(() => createSparseParityTask({ n: 6, k: 2, subset: [0, 3], seed: 5 })).toThrow(
        'sparse-parity.seed: draws the subset, which subset gives here; leave seed out',
      );
    });
  });
});
