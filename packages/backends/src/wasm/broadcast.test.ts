import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../test-support/reference.js';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { broadcastPlan, installSimdBroadcast } from './broadcast.js';
import { wasmHeap } from '@learnability/core';
import { heapRoutinesOn } from './heap-routines.js';

type Op = 'add' | 'sub' | 'mul';
const OPS: Record<Op, { tf: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor; js: (a: number, b: number) => number }> = {
  add: { tf: tf.add, js: (a, b) => a + b },
  sub: { tf: tf.sub, js: (a, b) => a - b },
  mul: { tf: tf.mul, js: (a, b) => a * b },
};

/** Plain-JS a ∘ b with numpy broadcasting, each element rounded to float32 once (one IEEE operation). */
function reference(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], op: Op): number[] {
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const [pa, pb] = [pad(aShape), pad(bShape)];
  const out = pa.map((d, i) => Math.max(d, pb[i] as number));
  const strides = (s: number[]) => s.map((d, i) => (d === 1 ? 0 : s.slice(i + 1).reduce((p, q) => p * q, 1)));
  const [sa, sb] = [strides(pa), strides(pb)];
  const values: number[] = [];
  const walk = (axis: number, ia: number, ib: number) => {
    if (axis === rank) return void values.push(Math.fround(OPS[op].js(a[ia] as number, b[ib] as number)));
    for (let i = 0; i < (out[axis] as number); i++)
      walk(axis + 1, ia + i * (sa[axis] as number), ib + i * (sb[axis] as number));
  };
  walk(0, 0, 0);
  return values;
}

describe('wasm Add, Sub and Multiply with a broadcast row or column in SIMD', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    const routines = await heapRoutinesOn(wasmHeap(tf.backend()) as WebAssembly.Memory);
    expect(installSimdBroadcast(tf.backend(), null)).toBe(false);
    expect(installSimdBroadcast(tf.backend(), routines)).toBe(true);
    expect(installSimdBroadcast(tf.backend(), routines)).toBe(true); // idempotent
  });

  it('plans rows and columns of at least four floats, and nothing else', () => {
    expect(broadcastPlan([1, 64, 18, 32], [1, 1, 1, 32])).toMatchObject({
      pattern: 'row',
      full: 0,
      rows: 1152,
      cols: 32,
    });
    expect(broadcastPlan([1, 64, 18, 32], [1, 1, 18, 32])).toMatchObject({ pattern: 'row', rows: 64, cols: 576 });
    expect(broadcastPlan([1, 64, 18, 32], [1, 64, 18, 1])).toMatchObject({ pattern: 'column', rows: 1152, cols: 32 });
    expect(broadcastPlan([7], [2, 5, 7])).toMatchObject({ pattern: 'row', full: 1, rows: 10, cols: 7 });
    expect(broadcastPlan([6], [1, 1])).toMatchObject({ pattern: 'column', outShape: [1, 6] });
    expect(broadcastPlan([4, 5], [4, 5])).toBeNull(); // same shape
    expect(broadcastPlan([5, 3], [3])).toBeNull(); // rows under four floats
    expect(broadcastPlan([4, 1], [1, 6])).toBeNull(); // both broadcast
    expect(broadcastPlan([4, 5, 6], [4, 1, 6])).toBeNull(); // a middle axis
  });

  // [op, a's shape, b's shape]: bias rows, per-row columns, rows of several axes and of 5 and 7
  // floats (the last group overlaps), the broadcast side first, and cases left to the original.
  const cases: [Op, number[], number[]][] = [
    ['add', [3, 5, 8], [8]],
    ['add', [1, 64, 18, 32], [1, 1, 1, 32]],
    ['add', [2, 3, 4, 5], [4, 5]],
    ['add', [7], [2, 5, 7]],
    ['mul', [6, 5], [6, 1]],
    ['mul', [4, 7], [4, 1]],
    ['mul', [1, 1, 7], [3, 2, 7]],
    ['sub', [3, 4, 6], [3, 4, 1]],
    ['sub', [5, 9], [9]],
    ['sub', [9], [5, 9]],
    ['add', [6], [1, 1]],
    ['add', [4, 5], [4, 5]],
    ['mul', [5, 3], [3]],
    ['sub', [4, 5, 6], [4, 1, 6]],
  ];
  for (const [op, aShape, bShape] of cases) {
    it(`${op} ${JSON.stringify(aShape)} and ${JSON.stringify(bShape)} gives the plain-JS bits and frees what it makes`, async () => {
      const [av, bv] = [seededValues(aShape, aShape.length), seededValues(bShape, 10 + bShape.length)];
      const [a, b] = [tf.tensor(av, aShape), tf.tensor(bv, bShape)];
      const before = tf.memory().numTensors;
      const y = OPS[op].tf(a, b);
      expect(Array.from(await y.data())).toEqual(reference(av, aShape, bv, bShape, op));
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    });
  }

  it('leaves int32 to the original kernels, and the bias gradient is still the column sum', async () => {
    const ints = tf.add(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32'), tf.tensor1d([1, 1, 1, 1], 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const x = tf.tensor2d(seededValues([6, 5], 4), [6, 5]);
    const bias = tf.tensor1d([0.1, -0.2, 0.3, 0.4, -0.5]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.add(x, t), x)))(bias);
    const xs = await x.data();
    (await g.data()).forEach((v, j) =>
      expect(v).toBeCloseTo(
        [0, 1, 2, 3, 4, 5].reduce((s, i) => s + (xs[i * 5 + j] as number), 0),
        4,
      ),
    );
    tf.dispose([ints, x, bias, g]);
  });
});
