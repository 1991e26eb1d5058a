import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { installSharedIdentity } from './shared-identity.js';

describe('wasm Identity and same-dtype Cast share memory', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    expect(installSharedIdentity(tf.backend())).toBe(true);
    expect(installSharedIdentity(tf.backend())).toBe(true); // idempotent
  });

  it('a clone and a same-dtype cast keep their values after the original is disposed, and free the memory with the last of them', async () => {
    const buffers = () => tf.memory().numDataBuffers;
    const before = buffers();
    const x = tf.tensor2d([1, -2, 3, 4.5, 5, 6], [2, 3]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(buffers()).toBe(before + 1); // one buffer for all three
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, -2, 3, 4.5, 5, 6]);
    y.dispose();
    expect(Array.from(await z.data())).toEqual([1, -2, 3, 4.5, 5, 6]);
    z.dispose();
    expect(buffers()).toBe(before);
  });

  it('a cast to another dtype still converts', async () => {
    const x = tf.tensor1d([1.7, -2.2, 0]);
    const i = tf.cast(x, 'int32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(await i.data())).toEqual([1, -2, 0]);
    tf.dispose([x, i]);
  });

  it('gradients through tensors the tape saved are unchanged', async () => {
    const x = tf.tensor1d([0.5, -1, 2]);
    // d/dx Σ x·x·x = 3x²: the tape saves x for each product.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mul(t, t), t)))(x);
    expect(Array.from(await g.data())).toEqual([0.75, 3, 12]);
    tf.dispose([x, g]);
  });
});
