import { createHash } from 'node:crypto';
import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { gemmExports, gemmOnMemory, gemmWasmBytes } from './gemm.js';
import type { GemmExports } from './gemm.js';

function instance(shared: boolean): { m: GemmExports; heap: Float32Array } {
  const memory = shared
    ? new WebAssembly.Memory({ initial: 16, maximum: 256, shared: true })
    : new WebAssembly.Memory({ initial: 16 });
  const m = gemmExports(
    new WebAssembly.Instance(new WebAssembly.Module(gemmWasmBytes(shared)), { env: { memory } }).exports,
  );
  return { m, heap: new Float32Array(memory.buffer) };
}

describe('the gemm WebAssembly module', () => {
  it('validates for unshared and shared memory', () => {
    expect(WebAssembly.validate(gemmWasmBytes(false))).toBe(true);
    expect(WebAssembly.validate(gemmWasmBytes(true))).toBe(true);
  });

  it('has the bytes it had before its assembler moved to @learnability/wasm-asm', () => {
    // Size and SHA-256 at 4835d85, the last commit with @learnability/dense's own assembler: that
    // move, and the module's own move here from dense, changed no instruction. A deliberate
    // kernel change updates these.
    const fingerprint = (bytes: Uint8Array) => `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`;
    expect(fingerprint(gemmWasmBytes(false))).toBe(
      '4670 b31385d8b0343ec62f8556401ff3fb22718a7cdbb35519fbfcb013fa747b3186',
    );
    expect(fingerprint(gemmWasmBytes(true))).toBe(
      '4673 2154737b7f9416f43b40d7c231e17966bade98681239cecefc41c283fd0a210a',
    );
    expect(fingerprint(gemmWasmBytes(true, { rows: 2, vecs: 1 }))).toBe(
      '1740 cca70f7098d167f19044a96d069fd83a6731693c1c3fcc910eeb04b74f04c317',
    );
    expect(fingerprint(gemmWasmBytes(true, { rows: 4, vecs: 3 }))).toBe(
      '5574 18ff02cdca119ef01e89767d37445e1534ae802d40b7502aac2df196860c36e2',
    );
  });

  // rows × red × cols: 4-row and 1-row tiles, 8-, 4- and 1-column tiles, and shapes with one of each.
  const shapes = [
    [1, 1, 1],
    [4, 3, 8],
    [5, 7, 13],
    [9, 2, 3],
    [32, 50, 100],
    [3, 64, 1],
  ] as const;
  const options = [
    {},
    { cin: true },
    { bias: true, relu: true },
    { cin: true, mask: true },
    { bias: true, relu: true, mask: true },
  ] as const;
  for (const shared of [false, true]) {
    it(`gemm equals a plain-JS reference on every tile shape (${shared ? 'shared' : 'unshared'} memory)`, () => {
      const { m, heap } = instance(shared);
      const rng = createRng(3);
      for (const [M, K, N] of shapes) {
        for (const o of options) {
          const opt: { cin?: boolean; bias?: boolean; relu?: boolean; mask?: boolean } = o;
          // A (M, K) read through row stride K+1 (a block of a wider matrix), W (K, N), Out/Cin/mask (M, N).
          const lrs = K + 1;
          const [A, W, Out, Cin, bias, mask] = [
            16,
            16 + M * lrs,
            16 + M * lrs + K * N,
            16 + M * lrs + K * N + M * N,
            16 + M * lrs + K * N + 2 * M * N,
            16 + M * lrs + K * N + 2 * M * N + N,
          ];
          rng.normals(heap.subarray(0, mask + M * N + 16), 1);
          // Everything but Out, 16 floats of guard band on either side included, must stay as it was.
          const before = heap.slice(0, mask + M * N + 16);
          const [alpha, beta] = [0.75, 0.5];
          m.gemm(
            A * 4,
            lrs * 4,
            4,
            W * 4,
            N * 4,
            M,
            K,
            N,
            Out * 4,
            N * 4,
            opt.cin ? Cin * 4 : 0,
            opt.bias ? bias * 4 : 0,
            opt.mask ? mask * 4 : 0,
            alpha,
            beta,
            opt.relu ? 1 : 0,
          );
          const untouched = (i: number) => i < Out || i >= Out + M * N;
          const changed = before.findIndex((v, i) => untouched(i) && !Object.is(heap[i], v));
          expect(changed, `(${M}, ${K}, ${N}) ${JSON.stringify(o)}: wrote outside Out`).toBe(-1);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let sum = 0;
              for (let r = 0; r < K; r++) sum += (heap[A + i * lrs + r] as number) * (heap[W + r * N + j] as number);
              let v =
                alpha * sum +
                (opt.cin ? beta * (heap[Cin + i * N + j] as number) : 0) +
                (opt.bias ? (heap[bias + j] as number) : 0);
              if (opt.relu) v = Math.max(v, 0);
              if (opt.mask && !((heap[mask + i * N + j] as number) > 0)) v = 0;
              expect(
                Math.abs((heap[Out + i * N + j] as number) - v),
                `(${M}, ${K}, ${N}) ${JSON.stringify(o)} at [${i}, ${j}]`,
              ).toBeLessThan(1e-5 * (1 + Math.abs(v)));
            }
          }
        }
      }
    });
  }

  it('gemm reads its left operand transposed through strides (Aᵀ·D) and a constant through zero strides (1ᵀ·D)', () => {
    const { m, heap } = instance(false);
    const [B, K, N] = [6, 5, 9];
    const [A, D, Out, one] = [0, B * K, B * K + B * N, B * K + B * N + K * N];
    createRng(4).normals(heap.subarray(0, one), 1);
    heap[one] = 1;
    m.gemm(A * 4, 4, K * 4, D * 4, N * 4, K, B, N, Out * 4, N * 4, 0, 0, 0, 1, 0, 0);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let b = 0; b < B; b++) sum += (heap[A + b * K + k] as number) * (heap[D + b * N + j] as number);
        expect(heap[Out + k * N + j]).toBeCloseTo(sum, 5);
      }
    }
    m.gemm(one * 4, 0, 0, D * 4, N * 4, 1, B, N, Out * 4, N * 4, 0, 0, 0, 1, 0, 0);
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let b = 0; b < B; b++) sum += heap[D + b * N + j] as number;
      expect(heap[Out + j]).toBeCloseTo(sum, 5);
    }
  });

  it('transpose moves a strided block and applies the mask', () => {
    const { m, heap } = instance(false);
    const [rows, cols, srcStride, dstStride] = [3, 5, 7, 4];
    const [src, dst, mask] = [0, 64, 128];
    createRng(5).normals(heap.subarray(0, 192), 1);
    m.transpose(src * 4, srcStride * 4, dst * 4, dstStride * 4, rows, cols, 0);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) expect(heap[dst + c * dstStride + r]).toBe(heap[src + r * srcStride + c]);
    m.transpose(src * 4, srcStride * 4, dst * 4, dstStride * 4, rows, cols, mask * 4);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const keep = (heap[mask + c * dstStride + r] as number) > 0;
        expect(heap[dst + c * dstStride + r]).toBe(keep ? heap[src + r * srcStride + c] : 0);
      }
    }
  });

  it('gemmOnMemory instantiates once per memory, shared as the memory is, and its gemm runs there', async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const [a, again, b] = await Promise.all([gemmOnMemory(memory), gemmOnMemory(memory), gemmOnMemory(shared)]);
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    for (const [m, mem] of [
      [a, memory],
      [b, shared],
    ] as const) {
      const heap = new Float32Array(mem.buffer);
      heap.set([2, 3], 4); // L at byte 16, R at byte 20: a 1 × 1 · 1 × 1 product into byte 32
      m.exports.gemm(16, 4, 4, 20, 4, 1, 1, 1, 32, 4, 0, 0, 0, 1, 0, 0);
      expect(heap[8]).toBe(6);
    }
  });
});
