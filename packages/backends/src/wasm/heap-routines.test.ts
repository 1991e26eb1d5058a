import { describe, expect, it } from 'vitest';
import { heapRoutinesBytes, heapRoutinesOn } from './heap-routines.js';

describe('the heap routines module', () => {
  it('validates for a shared and an unshared memory, and is instantiated once per memory', async () => {
    expect(WebAssembly.validate(heapRoutinesBytes(false))).toBe(true);
    expect(WebAssembly.validate(heapRoutinesBytes(true))).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(await heapRoutinesOn(memory)).toBe(await heapRoutinesOn(memory));
    expect(await heapRoutinesOn(new WebAssembly.Memory({ initial: 1 }))).not.toBe(await heapRoutinesOn(memory));
  });

  it('copyRuns moves each run, 16 bytes at a time then 4, and nothing else', async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { copyRuns } = await heapRoutinesOn(memory);
    const heap = new Float32Array(memory.buffer);
    // [runs, floats a run, source step, destination step] (steps in floats): runs of 1 to 9 floats, steps
    // wider than a run on either side, one run, none.
    const cases: [number, number, number, number][] = [
      [5, 1, 3, 1],
      [4, 3, 7, 3],
      [3, 4, 4, 6],
      [6, 5, 9, 5],
      [2, 9, 9, 11],
      [1, 8, 0, 0],
      [0, 4, 4, 4],
    ];
    for (const [count, run, srcStep, dstStep] of cases) {
      const [src, dst] = [64, 4096];
      heap.fill(-1);
      for (let i = 0; i < 1024; i++) heap[src + i] = i;
      copyRuns(4 * src, 4 * srcStep, 4 * dst, 4 * dstStep, count, 4 * run);
      const expected = new Float32Array(1024).fill(-1);
      for (let c = 0; c < count; c++) for (let j = 0; j < run; j++) expected[c * dstStep + j] = c * srcStep + j;
      expect(Array.from(heap.subarray(dst, dst + 1024))).toEqual(Array.from(expected));
    }
  });

  it("sumRows sums each block's rows column by column, the last group of four ending at the last column", async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { sumRows } = await heapRoutinesOn(memory);
    const heap = new Float32Array(memory.buffer);
    for (const [outer, rows, cols] of [
      [1, 5, 4],
      [2, 3, 5],
      [3, 7, 9],
      [2, 0, 6],
    ] as [number, number, number][]) {
      const [src, dst] = [16, 4096];
      heap.fill(-1);
      for (let i = 0; i < outer * rows * cols; i++) heap[src + i] = (i % 13) - 6;
      sumRows(4 * src, 4 * dst, outer, rows, cols);
      const expected = new Float32Array(outer * cols + 4).fill(-1);
      for (let a = 0; a < outer; a++)
        for (let j = 0; j < cols; j++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += heap[src + (a * rows + i) * cols + j] as number;
          expected[a * cols + j] = s;
        }
      expect(Array.from(heap.subarray(dst, dst + outer * cols + 4))).toEqual(Array.from(expected));
    }
  });
});
