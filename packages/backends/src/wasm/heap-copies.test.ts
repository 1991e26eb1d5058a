import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../test-support/reference.js';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { installHeapCopies } from './heap-copies.js';
import { wasmHeap } from '@learnability/core';
import { heapRoutinesOn } from './heap-routines.js';

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

describe('wasm Slice, SplitV, Unpack, Concat, PadV2, Tile and Transpose as copies within the heap', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    const routines = await heapRoutinesOn(wasmHeap(tf.backend()) as WebAssembly.Memory);
    expect(installHeapCopies(tf.backend(), null)).toBe(false); // no copies without the routines
    expect(installHeapCopies(tf.backend(), routines)).toBe(true);
    expect(installHeapCopies(tf.backend(), routines)).toBe(true); // idempotent
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
      const values = seededValues(shape, shape.length);
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
    const values = seededValues([12, 3 * 8], 1);
    const qkv = tf.tensor2d(values, [12, 24]);
    const parts = tf.split(qkv, 3, 1);
    for (const [i, p] of parts.entries())
      expect(Array.from(await p.data())).toEqual(reference(values, [12, 24], [0, 8 * i], [12, 8]));
    const cube = seededValues([3, 7, 4], 2);
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

  it('unstacks along every axis (a sequence step by step), as the plain-JS reference, freeing what it makes', async () => {
    const shape = [5, 1, 3, 4];
    const values = seededValues(shape, 9);
    const x = tf.tensor(values, shape);
    const before = tf.memory().numTensors;
    for (let axis = 0; axis < shape.length; axis++) {
      const parts = tf.unstack(x, axis);
      expect(parts).toHaveLength(shape[axis] as number);
      for (const [i, part] of parts.entries()) {
        const begin = shape.map((_, a) => (a === axis ? i : 0));
        const size = shape.map((d, a) => (a === axis ? 1 : d));
        expect(part.shape).toEqual(shape.filter((_, a) => a !== axis));
        expect(Array.from(await part.data())).toEqual(reference(values, shape, begin, size));
      }
      tf.dispose(parts);
    }
    expect(tf.memory().numTensors).toBe(before);
    // The gradient of an unstack is a stack: each step's slice gets its own gradient back.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.unstack(t, 0)[2] as tf.Tensor, 3)))(x);
    const want = Array.from(values, (_, j) => (Math.floor(j / 12) === 2 ? 3 : 0));
    expect(Array.from(await g.data())).toEqual(want);
    tf.dispose([g, x]);
  });

  it('tiles along any axes, a scalar, an empty tensor and one axis of 1 (a replica axis), as the plain-JS reference', async () => {
    // [shape, reps]
    const cases: [number[], number[]][] = [
      [
        [1, 6, 5],
        [4, 1, 1],
      ],
      [
        [2, 3],
        [3, 2],
      ],
      [
        [3, 1, 4],
        [1, 5, 2],
      ],
      [[], []],
      [
        [0, 3],
        [2, 2],
      ],
    ];
    const before = tf.memory().numTensors;
    for (const [shape, reps] of cases) {
      const values = seededValues(shape, shape.length + 3);
      const x = tf.tensor(values, shape);
      const y = tf.tile(x, reps);
      const outShape = shape.map((d, a) => d * (reps[a] as number));
      expect(y.shape).toEqual(outShape);
      const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
      const outStrides = outShape.map((_, a) => outShape.slice(a + 1).reduce((p, d) => p * d, 1));
      const want = Array.from({ length: outShape.reduce((p, d) => p * d, 1) }, (_, i) => {
        const from = outShape.reduce(
          (s, _d, a) => s + (Math.floor(i / (outStrides[a] as number)) % (shape[a] as number)) * (strides[a] as number),
          0,
        );
        return values[from] as number;
      });
      expect(Array.from(await y.data()), `${shape} × ${reps}`).toEqual(want);
      tf.dispose([x, y]);
    }
    expect(tf.memory().numTensors).toBe(before);
    // The gradient of a tile sums the repetitions back.
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, [3, 1]), 2)))(x);
    expect(Array.from(await g.data())).toEqual([6, 6, 6, 6]);
    tf.dispose([x, g]);
  });

  it('concatenates along every axis, with an empty input among them, as the plain-JS reference', async () => {
    // Per axis, three parts of (2, 3, 4) that differ along it only, the last one empty.
    const partsAlong = [
      [
        [1, 3, 4],
        [2, 3, 4],
        [0, 3, 4],
      ],
      [
        [2, 3, 4],
        [2, 1, 4],
        [2, 0, 4],
      ],
      [
        [2, 3, 1],
        [2, 3, 2],
        [2, 3, 0],
      ],
    ];
    for (const [axis, parts] of partsAlong.entries()) {
      const values = parts.map((shape, i) => seededValues(shape, 10 + i));
      const xs = parts.map((shape, i) => tf.tensor(values[i] as Float32Array, shape));
      const before = tf.memory().numTensors;
      const y = tf.concat(xs, axis);
      // Reference: the parts' blocks, the whole of each (begin 0) read in turn for each outer index.
      const outer = parts[0]?.slice(0, axis).reduce((p, d) => p * d, 1) as number;
      const expected: number[] = [];
      for (let o = 0; o < outer; o++)
        for (const [i, shape] of parts.entries()) {
          const inner = shape.slice(axis).reduce((p, d) => p * d, 1);
          expected.push(...(values[i] as Float32Array).subarray(o * inner, (o + 1) * inner));
        }
      expect(Array.from(await y.data()), `axis ${axis}`).toEqual(expected);
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(xs);
    }
  });

  it('pads with a constant before and after on every axis, as the plain-JS reference', async () => {
    const shape = [2, 3, 4];
    const values = seededValues(shape, 7);
    const x = tf.tensor(values, shape);
    const paddings: [number, number][] = [
      [1, 0],
      [0, 2],
      [3, 1],
    ];
    const y = tf.pad(x, paddings, -0.5);
    expect(y.shape).toEqual([3, 5, 8]);
    const expected: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 5; j++)
        for (let k = 0; k < 8; k++) {
          const [a, b, c] = [i - 1, j, k - 3];
          const inside = a >= 0 && a < 2 && b < 3 && c >= 0 && c < 4;
          expected.push(inside ? (values[a * 12 + b * 4 + c] as number) : -0.5);
        }
    expect(Array.from(await y.data())).toEqual(expected);
    tf.dispose([x, y]);
  });

  /** Plain-JS transpose: out[i_0, …] = x[j] where input axis perm[a] takes output index i_a. */
  function transposed(x: Float32Array, shape: number[], perm: number[]): number[] {
    const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
    const out: number[] = [];
    const walk = (axis: number, offset: number) => {
      if (axis === perm.length) return void out.push(x[offset] as number);
      const from = perm[axis] as number;
      for (let i = 0; i < (shape[from] as number); i++) walk(axis + 1, offset + i * (strides[from] as number));
    };
    walk(0, 0);
    return out;
  }

  // [shape, perm]: the last axis kept (heap copies: attention's heads, an RNN's time-major swap,
  // size-1 axes, rows of 1 and 3 floats, rank 5, an empty one), then moved (tfjs-wasm's own kernel).
  const transposes: { shape: number[]; perm: number[] }[] = [
    { shape: [3, 5, 4], perm: [1, 0, 2] },
    { shape: [2, 7, 3, 8], perm: [0, 2, 1, 3] },
    { shape: [6, 1, 5, 4], perm: [2, 1, 0, 3] },
    { shape: [1, 5, 6, 4], perm: [2, 0, 1, 3] },
    { shape: [2, 3, 1, 2, 5], perm: [3, 0, 2, 1, 4] },
    { shape: [4, 0, 5], perm: [1, 0, 2] },
    { shape: [4, 6, 3], perm: [1, 0, 2] },
    { shape: [4, 6, 1], perm: [1, 0, 2] },
    { shape: [5, 6], perm: [1, 0] },
    { shape: [2, 3, 4, 5], perm: [3, 1, 2, 0] },
  ];
  for (const { shape, perm } of transposes) {
    it(`transposes ${JSON.stringify(shape)} by ${JSON.stringify(perm)} as the plain-JS reference, freeing what it makes`, async () => {
      const values = seededValues(shape, 11);
      const x = tf.tensor(values, shape);
      const before = tf.memory().numTensors;
      const y = tf.transpose(x, perm);
      expect(y.shape).toEqual(perm.map((p) => shape[p]));
      expect(Array.from(await y.data())).toEqual(transposed(values, shape, perm));
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  }

  it('leaves other dtypes to the original kernels', async () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const [a, b] = tf.split(x, [1, 2], 1) as [tf.Tensor, tf.Tensor];
    expect(Array.from(await a.data())).toEqual([1, 4]);
    const row = tf.slice(b, [1, 0], [1, 2]);
    expect(Array.from(await row.data())).toEqual([5, 6]);
    const joined = tf.concat([a, b], 1);
    const padded = tf.pad(
      a,
      [
        [0, 0],
        [1, 0],
      ],
      9,
    );
    const cube = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [2, 2, 4], 'int32');
    const swapped = tf.transpose(cube, [1, 0, 2]);
    expect(Array.from(await joined.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(await padded.data())).toEqual([9, 1, 9, 4]);
    expect(Array.from(await swapped.data())).toEqual([1, 2, 3, 4, 9, 10, 11, 12, 5, 6, 7, 8, 13, 14, 15, 16]);
    expect([b, row, joined, padded, swapped].map((t) => t.dtype)).toEqual([
      'int32',
      'int32',
      'int32',
      'int32',
      'int32',
    ]);
    tf.dispose([x, a, b, row, joined, padded, cube, swapped]);
  });

  it('passes the gradient through to the split-off columns only', async () => {
    const x = tf.tensor2d(seededValues([5, 6], 3), [5, 6]);
    const viaSplit = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, 3, 1)[1] as tf.Tensor, 2)))(x);
    const expected = tf.concat([tf.zeros([5, 2]), tf.fill([5, 2], 2), tf.zeros([5, 2])], 1);
    expect(Array.from(await viaSplit.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([x, viaSplit, expected]);
  });
});
