import * as tf from '@tensorflow/tfjs-core';
import { setupBackend, tiledMatMul } from '@learnability/backends';
import { describeOnBackends } from '@learnability/backends/testing';
import { describe, expect, it } from 'vitest';
import { matMulAgreement } from './matmul-bench.js';

describe('matMulAgreement', () => {
  it('passes tf.matMul against itself and fails a product off by one element, leaving no tensor', async () => {
    await setupBackend('cpu');
    const before = tf.memory().numTensors;
    const same = await matMulAgreement(24, tf.matMul);
    expect(same).toMatchObject({ size: 24, maxAbsDiff: 0, agrees: true });
    expect(same.maxAbs).toBeGreaterThan(1);
    // One element of C off by 1: far past 1e-4 of max |C| (a few at n = 24).
    const offByOne = (a: tf.Tensor2D, b: tf.Tensor2D) =>
      tf.tidy(() => tf.add(tf.matMul(a, b), tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), 24 * 24), [24, 24])));
    const wrong = await matMulAgreement(24, offByOne);
    expect(wrong.agrees).toBe(false);
    expect(wrong.maxAbsDiff).toBeCloseTo(1, 4);
    // A product that throws (a kernel refusing the size) leaves nothing behind.
    const refuses = () => {
      throw new Error('refused');
    };
    await expect(matMulAgreement(24, refuses)).rejects.toThrow('refused');
    expect(tf.memory().numTensors).toBe(before);
  });
});

// What `bench gpu` checks before it times the tiled kernel: 260 = 2 tiles + 4 in M and N, 16 slices + 4 in K.
describeOnBackends(['webgpu'], 'matMulAgreement of the tiled WGSL kernel', () => {
  it('agrees with tf.matMul', async () => {
    await setupBackend('webgpu');
    const a = await matMulAgreement(260, tiledMatMul);
    expect(a.agrees, JSON.stringify(a)).toBe(true);
  }, 120_000);
});
