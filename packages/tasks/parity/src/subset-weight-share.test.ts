import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { describeEachBackend } from '@learnability/backends/testing';
import { describe, expect, it } from 'vitest';
import { createSparseParityTask } from './sparse-parity.js';
import { subsetWeightShare } from './subset-weight-share.js';

describeEachBackend('subset-weight-share', () => {
  /** Σ_{i∈S} ‖W[r,i,:]‖² / Σ_i ‖W[r,i,:]‖² per replica, over plain arrays. */
  function plainShare(w: Float32Array, [R, n, h]: number[], subset: number[]): number[] {
    return Array.from({ length: R as number }, (_, r) => {
      const mass = (i: number) => {
        let s = 0;
        for (let j = 0; j < (h as number); j++) s += (w[(r * (n as number) + i) * (h as number) + j] as number) ** 2;
        return s;
      };
      const total = Array.from({ length: n as number }, (_, i) => mass(i)).reduce((a, b) => a + b, 0);
      return subset.reduce((acc, i) => acc + mass(i), 0) / total;
    });
  }

  describe('subsetWeightShare', () => {
    it('equals the plain-JS share per replica and leaks no tensor', async () => {
      const shape = [3, 12, 7];
      const values = new Float32Array(3 * 12 * 7);
      createRng(1).normals(values);
      values.fill(0, 12 * 7, 12 * 7 + 7 * 5); // replica 1: five zero rows
      const w0 = tf.tensor3d(values, shape as [number, number, number]);
      const subset = [0, 3, 11];
      const before = tf.memory().numTensors;
      const share = subsetWeightShare(w0, subset);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(share.shape).toEqual([3]);
      await expectClose(share, plainShare(values, shape, subset), {
        atol: 1e-6,
        rtol: 1e-5,
        what: 'subsetWeightShare',
      });
      tf.dispose([w0, share]);
    });

    it('refuses a repeated index (its row counted twice) and an integer w0 (integer division gave 0)', () => {
      const w0 = tf.ones([1, 4, 2]);
      const ints = tf.ones([1, 4, 2], 'int32');
      expect(() => subsetWeightShare(w0, [0, 0])).toThrow(
        'subsetWeightShare: subset indices must be distinct, but got [0, 0]',
      );
      expect(() => subsetWeightShare(ints, [0])).toThrow('subsetWeightShare: w0 must be float32, but is int32');
      tf.dispose([w0, ints]);
    });

    it('is about k/n at an i.i.d. init and 1 when all mass is on S', async () => {
      const task = createSparseParityTask({ n: 40, k: 4, seed: 9 });
      const init = tf.randomNormal([2, 40, 500], 0, 1, 'float32', 3);
      const onS = tf.tidy(() => {
        const mask = tf.tensor1d(Array.from({ length: 40 }, (_, i) => (task.subset.includes(i) ? 1 : 0)));
        return tf.mul(init, tf.reshape(mask, [1, 40, 1]));
      });
      const w1 = tf.zeros([2, 500, 1]);
      const atInit = task.measures?.({ w0: init, w1 })['subsetWeightShare'];
      const learned = task.measures?.({ w0: onS })['subsetWeightShare'];
      if (!atInit || !learned) throw new Error('expected a subsetWeightShare measure');
      expect(Array.from(await atInit.data()).every((v) => Math.abs(v - 0.1) < 0.02)).toBe(true);
      await expectClose(learned, [1, 1], { atol: 1e-6, what: 'share with all mass on S' });
      tf.dispose([init, onS, w1, atInit, learned]);
    });

    it('gives no measure when there is no dense first layer over the n inputs', () => {
      const task = createSparseParityTask({ n: 8, k: 2 });
      const other = tf.zeros([1, 9, 4]);
      expect(task.measures?.({ w0: other })).toEqual({});
      expect(task.measures?.({ kernel: other })).toEqual({});
      other.dispose();
    });
  });
});
