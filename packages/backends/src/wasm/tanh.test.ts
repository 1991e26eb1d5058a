import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { wasmHeap } from '@learnability/core';
import { heapRoutinesOn } from './heap-routines.js';
import { installSimdTanh } from './tanh.js';

/** Math.tanh rounded to float32: the correctly rounded reference, up to double rounding. */
const reference = (x: number) => Math.fround(Math.tanh(x));

/** |got − want| in units of the last place of float32 at `want` (subnormal spacing below 2⁻¹²⁶). */
function ulps(got: number, want: number): number {
  const exponent = Math.max(Math.floor(Math.log2(Math.abs(want) || 2 ** -149)), -126);
  return Math.abs(got - want) / 2 ** (exponent - 23);
}

/** Both signs of log-spaced magnitudes from 1e-40 (subnormal) to 30, densest where the two paths meet (0.55). */
function sweep(): Float32Array {
  const values: number[] = [];
  for (let i = 0; i <= 20_000; i++) values.push(10 ** (-40 + (i / 20_000) * 41.5));
  for (let i = 0; i <= 20_000; i++) values.push(0.5 + (i / 20_000) * 0.1);
  return Float32Array.from([...values, ...values.map((v) => -v)]);
}

describe('wasm Tanh in SIMD', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    const routines = await heapRoutinesOn(wasmHeap(tf.backend()) as WebAssembly.Memory);
    expect(installSimdTanh(tf.backend(), null)).toBe(false);
    expect(installSimdTanh(tf.backend(), routines)).toBe(true);
    expect(installSimdTanh(tf.backend(), routines)).toBe(true); // idempotent
  });

  it('is within 1 ulp of tanh from subnormals to saturation, on both sides of where its two paths meet', async () => {
    const x = sweep();
    const t = tf.tensor1d(x);
    const y = tf.tanh(t);
    const got = await y.data();
    tf.dispose([t, y]);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulps(got[i] as number, reference(x[i] as number)));
    // WebAssembly SIMD float arithmetic is exact IEEE (no fused multiply-add): the same bits on every machine.
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('keeps NaN and the sign of zero, saturates to ±1, and takes any length of four or more', async () => {
    const special = [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 9, -9, 1e6, -1e-30];
    const y = tf.tanh(tf.tensor1d(special));
    const got = Array.from(await y.data());
    expect(got.map((v) => Object.is(v, Number.NaN) || Number.isNaN(v))).toEqual(special.map(Number.isNaN));
    expect(Object.is(got[1], -0) && Object.is(got[2], 0)).toBe(true);
    expect(got.slice(3)).toEqual([1, -1, 1, -1, 1, reference(-1e-30)]);
    y.dispose();
    // The last vector ends at n and overlaps the one before it: every n from 4 to 13, and under 4 (the original kernel).
    for (let n = 1; n <= 13; n++) {
      const x = Float32Array.from({ length: n }, (_, i) => (i - 6) / 2.5);
      const out = tf.tanh(tf.tensor2d(x, [1, n]));
      const values = await out.data();
      for (let i = 0; i < n; i++) expect(ulps(values[i] as number, reference(x[i] as number))).toBeLessThanOrEqual(1);
      out.dispose();
    }
  });

  it('frees what it makes, and the gradient is still 1 − tanh²', async () => {
    const x = tf.tensor1d([-3, -0.5, 0, 0.25, 0.6, 2, 4, 8]);
    const before = tf.memory().numTensors;
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(x);
    const values = await g.data();
    const xs = await x.data();
    xs.forEach((v, i) => expect(values[i]).toBeCloseTo(1 - Math.tanh(v) ** 2, 6));
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
