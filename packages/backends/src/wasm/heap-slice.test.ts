import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { installHeapSlice } from './heap-slice.js';

/** Plain-JS x[begin : begin + size] of a row-major array of shape `shape`. */
function reference(x: Float32Array, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) return void out.push(x[offset] as number);
    for (let i = 0; i < (size[axis] as number); i++)
      walk(axis + 1, offset + ((begin[axis] as number) + i) * (strides[axis] as number));
  };
  walk(0, 0);
  return out;
}

const random = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v);
  return v;
};

describe('wasm Slice and SplitV as copies within the heap', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    expect(installHeapSlice(tf.backend())).toBe(true);
    expect(installHeapSlice(tf.backend())).toBe(true); // idempotent
  });

  // [title, shape, begin, size]: contiguous and strided slices of ranks 1 to 5, and an empty one.
  const cases: [string, number[], number[], number[]][] = [
    ['rank 1', [10], [3], [5]],
    ['rank 2, whole rows (contiguous)', [6, 7], [2, 0], [3, 7]],
    ['rank 2, a column block', [6, 7], [1, 2], [4, 3]],
    ['rank 3, middle of every axis', [4, 5, 6], [1, 2, 3], [2, 3, 2]],
    ['rank 4, one channel', [2, 3, 4, 5], [0, 1, 0, 2], [2, 1, 4, 1]],
    ['rank 5', [2, 2, 3, 2, 4], [1, 0, 1, 1, 1], [1, 2, 2, 1, 3]],
    ['empty', [4, 5], [1, 2], [0, 3]],
  ];
  for (const [title, shape, begin, size] of cases) {
    it(`slice, ${title}, equals the plain-JS reference and frees what it makes`, async () => {
      const values = random(shape, shape.length);
      const x = tf.tensor(values, shape);
      const before = tf.memory().numTensors;
      const y = tf.slice(x, begin, size);
      expect(y.shape).toEqual(size);
      expect(Array.from(await y.data())).toEqual(reference(values, shape, begin, size));
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  }

  it("splits attention's (rows, 3D) into q, k and v, and uneven splits along a middle axis", async () => {
    const values = random([12, 3 * 8], 1);
    const qkv = tf.tensor2d(values, [12, 24]);
    const parts = tf.split(qkv, 3, 1);
    for (const [i, p] of parts.entries())
      expect(Array.from(await p.data())).toEqual(reference(values, [12, 24], [0, 8 * i], [12, 8]));
    const cube = random([3, 7, 4], 2);
    const x = tf.tensor3d(cube, [3, 7, 4]);
    const uneven = tf.split(x, [2, 4, 1], 1);
    let at = 0;
    for (const p of uneven) {
      const rows = p.shape[1] as number;
      expect(Array.from(await p.data())).toEqual(reference(cube, [3, 7, 4], [0, at, 0], [3, rows, 4]));
      at += rows;
    }
    tf.dispose([qkv, ...parts, x, ...uneven]);
  });

  it('leaves other dtypes to the original kernels', async () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const [a, b] = tf.split(x, [1, 2], 1) as [tf.Tensor, tf.Tensor];
    expect(Array.from(await a.data())).toEqual([1, 4]);
    expect(Array.from(await tf.slice(b, [1, 0], [1, 2]).data())).toEqual([5, 6]);
    expect(b.dtype).toBe('int32');
    tf.dispose([x, a, b]);
  });

  it('passes the gradient through to the split-off columns only', async () => {
    const x = tf.tensor2d(random([5, 6], 3), [5, 6]);
    const viaSplit = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, 3, 1)[1] as tf.Tensor, 2)))(x);
    const expected = tf.concat([tf.zeros([5, 2]), tf.fill([5, 2], 2), tf.zeros([5, 2])], 1);
    expect(Array.from(await viaSplit.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([x, viaSplit, expected]);
  });
});
