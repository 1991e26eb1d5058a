/**
 * simd-math's routines, run in a module of their own: e^y, tanh and the sigmoid against Math's
 * over their whole ranges, lane sums and Horner's rule against float32 arithmetic in JS.
 */
import { describe, expect, it } from 'vitest';
import { whileLoop } from './control.js';
import { bump, get, I32, i32c, mem, set, V128 } from './instructions.js';
import type { Code } from './instructions.js';
import { assembleModule } from './module.js';
import { expMinusAbs, expOf, horner, laneSum, sigmoidOf, splat, tanhOf } from './simd-math.js';

/** ulps between two float32 values of one sign. */
const ulps = (a: number, b: number) => {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs((bits[0] as number) - (bits[1] as number));
};

interface Exports {
  memory: WebAssembly.Memory;
  exp(src: number, dst: number, n: number): void;
  tanh(src: number, dst: number, n: number): void;
  sigmoid(src: number, dst: number, n: number): void;
  sums(src: number, dst: number): void;
}

function instance(): Exports {
  // exp(src, dst, n): dst = e^src, n a multiple of 4. Locals src 0, dst 1, n 2; v128 r 3, k 4.
  const exp = {
    name: 'exp',
    params: [I32, I32, I32],
    locals: [[2, V128]] as [number, number][],
    body: whileLoop(get(2), [
      ...get(0), ...mem.v128Load(), ...set(3),
      ...get(1), ...expOf(3, 4), ...mem.v128Store(),
      ...bump(0, i32c(16)), ...bump(1, i32c(16)), ...bump(2, i32c(-4)),
    ]),
  };
  // tanh and sigmoid(src, dst, n) likewise; v128 locals x 3, a 4, z 5, k 6, r 7, e 8.
  const elementwise = (name: string, value: Code) => ({
    name,
    params: [I32, I32, I32],
    locals: [[6, V128]] as [number, number][],
    body: whileLoop(get(2), [
      ...get(0), ...mem.v128Load(), ...set(3),
      ...get(1), ...value, ...mem.v128Store(),
      ...bump(0, i32c(16)), ...bump(1, i32c(16)), ...bump(2, i32c(-4)),
    ]),
  });
  const tanh = elementwise('tanh', tanhOf(3, { a: 4, z: 5, k: 6, r: 7, e: 8 }));
  const sigmoid = elementwise('sigmoid', [...expMinusAbs(3, 7, 6, 8), ...sigmoidOf(3, 8)]);
  // sums(src, dst): dst[0] = the lane sum of x = src[0..3]; dst[1] = the lane sum of (3x + 2)·x + 1.
  const sums = {
    name: 'sums',
    params: [I32, I32],
    locals: [[1, V128]] as [number, number][],
    body: [
      ...get(0), ...mem.v128Load(), ...set(2),
      ...get(1), ...laneSum(2), ...mem.f32Store(),
      ...get(1), ...splat(3), ...horner(2, [2, 1]), ...set(2), ...laneSum(2), ...mem.f32Store(4),
    ],
  };
  const bytes = assembleModule([exp, tanh, sigmoid, sums], { kind: 'exported', name: 'memory' });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Exports;
  exports.memory.grow(8);
  return exports;
}

describe('simd-math', () => {
  it('expOf is within 1 ulp of e^y over [−87, 0]', () => {
    const e = instance();
    const n = 20_000;
    const heap = new Float32Array(e.memory.buffer);
    const ys = Float32Array.from({ length: n }, (_, i) => (-87 * i) / (n - 1));
    heap.set(ys, 0);
    e.exp(0, n * 4, n);
    let worst = 0;
    for (let i = 0; i < n; i++)
      worst = Math.max(worst, ulps(heap[n + i] as number, Math.fround(Math.exp(ys[i] as number))));
    expect(worst).toBeLessThanOrEqual(1);
    expect(heap[n]).toBe(1); // e^0
  });

  /** `f` over ys in the module, each result's ulps from `reference` rounded to float32, the worst and the values. */
  function worstUlps(f: 'tanh' | 'sigmoid', ys: Float32Array, reference: (y: number) => number) {
    const e = instance();
    e.memory.grow(16);
    const heap = new Float32Array(e.memory.buffer);
    heap.set(ys, 0);
    e[f](0, ys.length * 4, ys.length);
    const got = heap.slice(ys.length, 2 * ys.length);
    let worst = 0;
    for (let i = 0; i < ys.length; i++) {
      const want = Math.fround(reference(ys[i] as number));
      // Subnormal results: ulps of the subnormal spacing (bits differ by one per 2⁻¹⁴⁹).
      worst = Math.max(worst, Math.sign(want) === Math.sign(got[i] as number) || want === 0 ? ulps(got[i] as number, want) : Infinity);
    }
    return { worst, got };
  }

  /** Both signs of log-spaced magnitudes from 1e-30 to 200 (past where every result rounds to its limit). */
  const sweep = (): Float32Array => {
    const m = Array.from({ length: 40_001 }, (_, i) => 10 ** (-30 + (i / 40_000) * 32.3));
    return Float32Array.from([0, 0, ...m, ...m.map((v) => -v), 0.55, -0.55, 87, -87, 88, -88, 103, -103]);
  };

  it('tanhOf is within 1 ulp of tanh, keeps −0 and NaN, and saturates to ±1', () => {
    const ys = sweep();
    expect(worstUlps('tanh', ys, Math.tanh).worst).toBeLessThanOrEqual(1);
    const { got } = worstUlps('tanh', Float32Array.from([-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]), Math.tanh);
    expect(Object.is(got[0], -0)).toBe(true);
    expect([Number.isNaN(got[1]), got[2], got[3]]).toEqual([true, 1, -1]);
  });

  it('sigmoidOf is within 2 ulps of 1 / (1 + e^(−y)) down to where it underflows, and gives 0, ½ and 1 at the ends', () => {
    const sigmoid = (y: number) => 1 / (1 + Math.exp(-y));
    // Below −87 the result leaves the normal floats: e^(−87) is expOf's lowest.
    const kept = sweep().filter((y) => y >= -87);
    const ys = kept.slice(0, kept.length - (kept.length % 4));
    expect(worstUlps('sigmoid', ys, sigmoid).worst).toBeLessThanOrEqual(2);
    const { got } = worstUlps('sigmoid', Float32Array.from([0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]), sigmoid);
    expect([got[0], got[1], got[3]]).toEqual([0.5, 1, Number.NaN]);
    expect(got[2]).toBeLessThan(1e-37);
  });

  it('laneSum adds (v₀ + v₁) + (v₂ + v₃); horner evaluates from the highest coefficient', () => {
    const e = instance();
    const heap = new Float32Array(e.memory.buffer);
    const f = Math.fround;
    heap.set([1, 2, 4, 8e7], 0);
    e.sums(0, 64);
    expect(heap[16]).toBe(f(f(1 + 2) + f(4 + 8e7)));
    const [a, b, c, d] = [1, 2, 4, 8e7].map((x) => f(f(f(3 * x + 2) * x) + 1)) as [number, number, number, number];
    expect(a).toBe(6);
    expect(heap[17]).toBe(f(f(a + b) + f(c + d)));
  });
});
