/**
 * simd-math's routines, run in a module of their own: e^y against Math.exp over its whole range,
 * lane sums and Horner's rule against float32 arithmetic in JS.
 */
import { describe, expect, it } from 'vitest';
import { whileLoop } from './control.js';
import { bump, get, I32, i32c, mem, set, V128 } from './instructions.js';
import { assembleModule } from './module.js';
import { expOf, horner, laneSum, splat } from './simd-math.js';

/** ulps between two float32 values of one sign. */
const ulps = (a: number, b: number) => {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs((bits[0] as number) - (bits[1] as number));
};

interface Exports {
  memory: WebAssembly.Memory;
  exp(src: number, dst: number, n: number): void;
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
  const bytes = assembleModule([exp, sums], { kind: 'exported', name: 'memory' });
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
