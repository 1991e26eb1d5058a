import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { createJsKernel } from './kernel.js';
import type { Gf2Kernel } from './kernel.js';
import { plantedSystem } from '../bench/bench-elimination.js';
import { createWasmKernel, wasmKernelUnavailableReason } from './wasm-kernel.js';
import { resolveGf2Kernel } from './kernel-choice.js';
import { solveGf2 } from './solve.js';

const reason = wasmKernelUnavailableReason();

/** Fills the first `words` words of both kernels' memory with the same random words. */
function fillBoth(kernels: Gf2Kernel[], words: number, seed: number): void {
  const rng = createRng(seed);
  const values = Int32Array.from({ length: words }, () => rng.nextUint32() | 0);
  for (const k of kernels) k.memory(words).set(values);
}

describe.skipIf(reason !== null)('WebAssembly SIMD kernel', () => {
  it('does the same row operations as the JS kernel', () => {
    const js = createJsKernel();
    const wasm = createWasmKernel();
    const stride = 12;
    const rows = 40;
    const tables = rows * stride;
    const total = tables + 4 * 16 * stride + stride;
    const rng = createRng(3);
    for (let trial = 0; trial < 200; trial++) {
      fillBoth([js, wasm], total, trial);
      const from = 4 * rng.int(3);
      const dst = rng.int(rows) * stride;
      const src = rng.int(rows) * stride;
      const op = rng.int(3);
      const bitsPerTable = 1 + rng.int(4);
      const len = 1 + (trial % Math.min(32, 4 * bitsPerTable));
      const col = rng.int(stride * 32 - 40);
      for (const k of [js, wasm]) {
        if (op === 0) k.xorRow(dst, src, from, stride);
        else if (op === 1) k.xorInto(dst, src, tables, from, stride);
        else k.applyTables(3, rows, stride, col, len, bitsPerTable, tables, from, stride);
      }
      expect(Array.from(wasm.view().subarray(0, total)), `trial ${trial} op ${op}`).toEqual(
        Array.from(js.view().subarray(0, total)),
      );
    }
  });

  it('gives solveGf2 the same result as the JS kernel, and is the auto choice', () => {
    for (const n of [31, 64, 200, 513]) {
      const { rows, secret } = plantedSystem(n, n + 20, n);
      const a = solveGf2(rows, n, { kernel: 'js' });
      const b = solveGf2(rows, n, { kernel: 'wasm-simd' });
      expect(b.rank).toBe(a.rank);
      expect(Array.from(b.solution)).toEqual(Array.from(a.solution));
      expect(Array.from(b.pivots)).toEqual(Array.from(a.pivots));
      expect(Array.from(b.solution)).toEqual(Array.from(secret));
    }
    expect(resolveGf2Kernel('auto').name).toBe('wasm-simd');
    expect(resolveGf2Kernel('js').name).toBe('js');
  });

  it('grows its memory for large systems', () => {
    const kernel = createWasmKernel();
    const view = kernel.memory(3_000_000);
    expect(view.length).toBeGreaterThanOrEqual(3_000_000);
    view[2_999_999] = 7;
    expect(kernel.view()[2_999_999]).toBe(7);
  });
});
