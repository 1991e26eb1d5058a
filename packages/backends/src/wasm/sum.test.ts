import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../test-support/reference.js';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { wasmHeap } from '@learnability/core';
import { heapRoutinesOn } from './heap-routines.js';
import { installSimdSum, rowsView } from './sum.js';

/** Plain-JS Σ over the adjacent axes lo…hi of a row-major array, in float64. */
function reference(x: Float32Array, shape: number[], lo: number, hi: number): number[] {
  const size = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  const [outer, rows, cols] = [size(0, lo), size(lo, hi + 1), size(hi + 1, shape.length)];
  const out = new Array<number>(outer * cols).fill(0);
  for (let a = 0; a < outer; a++)
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++)
        out[a * cols + j] = (out[a * cols + j] as number) + (x[(a * rows + i) * cols + j] as number);
  return out;
}

describe('wasm Sum over leading and middle axes in SIMD', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    const routines = await heapRoutinesOn(wasmHeap(tf.backend()) as WebAssembly.Memory);
    expect(installSimdSum(tf.backend(), null)).toBe(false);
    expect(installSimdSum(tf.backend(), routines)).toBe(true);
    expect(installSimdSum(tf.backend(), routines)).toBe(true); // idempotent
  });

  it('views a shape as (outer, rows, cols) only for adjacent axes', () => {
    expect(rowsView([2, 3, 4, 5], [1, 2])).toEqual([2, 12, 5]);
    expect(rowsView([2, 3, 4], [0])).toEqual([1, 2, 12]);
    expect(rowsView([2, 3, 4], [0, 2])).toBeNull();
    // Axes of size 1 between reduced ones join the run: an RNN's bias gradient over (T, 1, B, n).
    expect(rowsView([100, 1, 50, 64], [0, 2])).toEqual([1, 5000, 64]);
    expect(rowsView([100, 2, 50, 64], [0, 2])).toBeNull();
  });

  // [title, shape, first and last reduced axis]: column groups of 4 with and without an overlapping
  // last group, a leading axis, a middle one, several, the transformer's bias gradient, empty parts.
  const cases: [string, number[], number, number][] = [
    ['a leading axis, 4 columns', [9, 4], 0, 0],
    ['a leading axis, 5 columns (the last group overlaps)', [7, 5], 0, 0],
    ['a middle axis, 7 columns', [3, 11, 7], 1, 1],
    ['two adjacent axes', [2, 3, 5, 6], 1, 2],
    ["the transformer's bias gradient", [1, 1152, 128], 1, 1],
    ['no rows', [2, 0, 8], 1, 1],
    ['no outer blocks', [0, 3, 8], 1, 1],
  ];
  for (const [title, shape, lo, hi] of cases) {
    it(`sums ${title} as the plain-JS reference, with and without kept dims, freeing what it makes`, async () => {
      const data = seededValues(shape, shape.length + lo);
      const x = tf.tensor(data, shape);
      const axes = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
      const before = tf.memory().numTensors;
      const kept = tf.sum(x, axes, true);
      const dropped = tf.sum(x, axes);
      expect(kept.shape).toEqual(shape.map((d, a) => (axes.includes(a) ? 1 : d)));
      expect(dropped.shape).toEqual(shape.filter((_, a) => !axes.includes(a)));
      const want = reference(data, shape, lo, hi);
      for (const got of [await kept.data(), await dropped.data()]) {
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 3));
      }
      tf.dispose([kept, dropped]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  }

  it('leaves innermost, non-adjacent, narrow and int32 sums to the original kernel, with the same results', async () => {
    const data = seededValues([4, 3, 6], 9);
    const x = tf.tensor3d(data, [4, 3, 6]);
    const at = (a: number, j: number, c: number) => data[(a * 3 + j) * 6 + c] as number;
    const expectClose = async (t: tf.Tensor, want: number[]) => {
      const got = await t.data();
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 4));
    };
    const innermost = tf.sum(x, -1);
    await expectClose(innermost, reference(data, [4, 3, 6], 2, 2));
    const nonAdjacent = tf.sum(x, [0, 2]);
    const sumOver = (j: number) => [0, 1, 2, 3].flatMap((a) => [0, 1, 2, 3, 4, 5].map((c) => at(a, j, c)));
    await expectClose(
      nonAdjacent,
      [0, 1, 2].map((j) => sumOver(j).reduce((s, v) => s + v, 0)),
    );
    const part = tf.slice(x, [0, 0, 0], [4, 1, 3]);
    const narrow = tf.sum(part, 0); // 3 columns
    await expectClose(
      narrow,
      [0, 1, 2].map((c) => [0, 1, 2, 3].reduce((s, a) => s + at(a, 0, c), 0)),
    );
    const ints = tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32'), 0);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([6, 8, 10, 12]);
    tf.dispose([x, innermost, nonAdjacent, part, narrow, ints]);
  });

  it('sums over axes with a size-1 axis between them (rowsView joins them) to the same bits as tfjs-wasm, kept dims included', async () => {
    const shape = [7, 1, 5, 12];
    const x = tf.tensor4d(seededValues(shape, 12), shape as [number, number, number, number]);
    const theirs = tf.sum(tf.transpose(x, [1, 3, 0, 2]), [2, 3]); // tfjs-wasm's own order
    const ours = tf.sum(x, [0, 2], true);
    expect(ours.shape).toEqual([1, 1, 1, 12]);
    expect(Array.from(await ours.data())).toEqual(Array.from(await theirs.data()));
    tf.dispose([x, theirs, ours]);
  });

  it("gives the same bits as tfjs-wasm's own path, a transpose then an innermost sum: rows are added in the same order", async () => {
    const x = tf.tensor3d(seededValues([3, 1152, 128], 11), [3, 1152, 128]);
    const ours = tf.sum(x, 1);
    const transposed = tf.transpose(x, [0, 2, 1]);
    const theirs = tf.sum(transposed, 2);
    expect(Array.from(await ours.data())).toEqual(Array.from(await theirs.data()));
    tf.dispose([x, ours, transposed, theirs]);
  });

  it('gives the gradient of a broadcast bias add, which tfjs-core takes with Sum', async () => {
    const x = tf.tensor2d(seededValues([6, 5], 4), [6, 5]);
    const b = tf.tensor1d([0.1, -0.2, 0.3, 0.4, -0.5]);
    // d/db Σ (x + b)·x = Σ_rows x
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.add(x, t), x)))(b);
    const want = reference((await x.data()) as Float32Array, [6, 5], 0, 0);
    (await g.data()).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 4));
    tf.dispose([x, b, g]);
  });
});
