import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { gemmExports, gemmWasmBytes } from '@learnability/wasm-asm/gemm';
import { lossAndDelta } from '../losses.js';
import { planStep, ranges, runCalls } from './step-plan.js';
import type { Call, StepLayout } from './step-plan.js';
import { startStepThreads } from './step-threads.js';
import type { StepThreads } from './step-threads.js';

/** A step's tensors laid out in a fresh shared memory, random inputs. */
function setup(R: number, B: number, sizes: number[]) {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true });
  const module = new WebAssembly.Module(gemmWasmBytes(true));
  const m = gemmExports(new WebAssembly.Instance(module, { env: { memory } }).exports);
  const heap = new Float32Array(memory.buffer);
  const L = sizes.length - 1;
  let top = 16;
  const alloc = (floats: number) => ((top += floats + 4), (top - floats - 4) * 4);
  const x = alloc(R * B * (sizes[0] as number));
  const y = alloc(R * B * (sizes[L] as number));
  const wIn = sizes.slice(0, -1).map((n, l) => alloc(R * n * (sizes[l + 1] as number)));
  const bIn = sizes.slice(1).map((h) => alloc(R * h));
  const wOut = sizes.slice(0, -1).map((n, l) => alloc(R * n * (sizes[l + 1] as number)));
  const bOut = sizes.slice(1).map((h) => alloc(R * h));
  const widest = Math.max(...sizes);
  const act = sizes.slice(1).map((h) => alloc(R * B * h));
  const delta = sizes.slice(1).map((h) => alloc(R * B * h));
  const deltaT = alloc(R * B * widest);
  const product = alloc(R * B * widest);
  const one = alloc(1);
  createRng(9).normals(heap.subarray(0, top), 0.5);
  heap[one / 4] = 1;
  const per = (base: number[], l: number, r: number, size: number) => (base[l] as number) + r * size * 4;
  const layout: StepLayout = {
    R,
    B,
    sizes,
    scales: sizes.slice(0, -1).map(() => 0.9),
    lr: 0.1,
    weightDecay: 0.01,
    wIn: (l, r) => per(wIn, l, r, (sizes[l] as number) * (sizes[l + 1] as number)),
    bIn: (l, r) => per(bIn, l, r, sizes[l + 1] as number),
    wOut: (l, r) => per(wOut, l, r, (sizes[l] as number) * (sizes[l + 1] as number)),
    bOut: (l, r) => per(bOut, l, r, sizes[l + 1] as number),
    act: (l, r) => (l < 0 ? x + r * B * (sizes[0] as number) * 4 : per(act, l, r, B * (sizes[l + 1] as number))),
    delta: (l, r) => per(delta, l, r, B * (sizes[l + 1] as number)),
    deltaT: (r) => deltaT + r * B * widest * 4,
    product: (r) => product + r * B * widest * 4,
    one,
  };
  const outputs = () =>
    [...wOut, ...bOut].map((at, i) =>
      Array.from(
        heap.subarray(
          at / 4,
          at / 4 + R * (i < L ? (sizes[i] as number) * (sizes[i + 1] as number) : (sizes[i - L + 1] as number)),
        ),
      ),
    );
  const step = (threads: number, run: (chunks: Call[][]) => void) => {
    const [forward, ...backward] = planStep(layout, threads);
    run(forward ?? []);
    const out = sizes[L] as number;
    const view = (at: number) => heap.subarray(at / 4, at / 4 + B * out);
    for (let r = 0; r < R; r++)
      lossAndDelta('hinge', view(layout.act(L - 1, r)), view(y + r * B * out * 4), view(layout.delta(L - 1, r)));
    for (const phase of backward) run(phase);
    return outputs();
  };
  return { m, memory, module, step };
}

describe('ranges', () => {
  it('covers [0, n) with aligned inner cuts and drops empty parts', () => {
    expect(ranges(32, 4, 4)).toEqual([
      [0, 8],
      [8, 16],
      [16, 24],
      [24, 32],
    ]);
    expect(ranges(50, 4, 4)).toEqual([
      [0, 12],
      [12, 24],
      [24, 36],
      [36, 50],
    ]);
    expect(ranges(1, 4, 4)).toEqual([[0, 1]]);
  });
});

describe('planStep', () => {
  // (R, B, sizes): one replica split into parts (fan_out = 1 and wide layers), and whole replicas.
  const cases: [number, number, number[]][] = [
    [1, 32, [50, 100, 1]],
    [1, 12, [9, 21, 70, 1]],
    [6, 7, [5, 16, 9, 2]],
  ];
  for (const [R, B, sizes] of cases) {
    it(`gives bit-identical parameters split for 2 to 8 threads, chunks in any order (R=${R}, B=${B}, sizes ${sizes.join('→')})`, () => {
      const one = setup(R, B, sizes);
      const inOrder = one.step(1, (chunks) => chunks.forEach((c) => runCalls(one.m, c)));
      // Up to WASM_MAX_THREADS: 8 threads split one replica into up to 16 parts.
      for (let threads = 2; threads <= 8; threads++) {
        const split = setup(R, B, sizes);
        const reversed = split.step(threads, (chunks) => [...chunks].reverse().forEach((c) => runCalls(split.m, c)));
        expect(reversed, `${threads} threads`).toEqual(inOrder);
      }
    });
  }

  it('gives the same parameters on worker threads', async () => {
    const [R, B, sizes] = [1, 32, [50, 100, 1]];
    const alone = setup(R, B, sizes);
    const expected = alone.step(1, (chunks) => chunks.forEach((c) => runCalls(alone.m, c)));
    const shared = setup(R, B, sizes);
    const threads = (await startStepThreads(2, shared.memory, shared.module)) as StepThreads;
    expect(threads).not.toBeNull();
    for (let i = 0; i < 500 && !threads.ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(threads.ready()).toBe(true);
    expect(shared.step(2, (chunks) => threads.run(shared.m, chunks))).toEqual(expected);
  });
});
