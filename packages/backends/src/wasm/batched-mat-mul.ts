/**
 * A faster BatchMatMul for the wasm backend.
 *
 * tfjs-backend-wasm 4.22 sends a matMul to XNNPACK only when both operands have batch size 1
 * and neither is transposed; everything else (every replicated layer (R, B, n)·(R, n, h), every
 * transposed operand) runs a naive blocked triple loop that is 10–50× slower. And an XNNPACK call
 * costs 0.2–1 ms here whatever its size when its weights are new, as a training step's always are.
 * This kernel routes each product:
 *   - up to GEMM_MAX multiply-adds in all, or slices under SMALL_SLICE each, or a transposed
 *     left operand with a small output (a weight gradient over many rows): the SIMD gemm of
 *     `@learnability/wasm-asm/gemm` on this thread, straight on the heap. A transposed left
 *     operand is read through strides, in chunks of rows; a transposed right one is first
 *     transposed into a scratch block by the same module. A batch sharing one right operand is one call;
 *   - larger products through XNNPACK, on all the wasm threads: a batched A times an unbatched B
 *     is one call on A viewed as (1, batch·M, K); otherwise each batch slice is one call on
 *     zero-copy views into A, B and the output; a transposed operand is first materialised with
 *     the wasm Transpose kernel. Each call is checked (`written`): tfjs-wasm only warns when
 *     XNNPACK fails (a full heap) and leaves the output unwritten, which here is an error.
 * Shapes it does not handle (mixed broadcasting of outer dims, non-float32) go to the original
 * kernel; so do small products when the gemm module could not be loaded. Views are registered
 * with the wasm runtime at an offset inside their parent's memory and unregistered without
 * freeing it.
 */
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import { LearnabilityError, wasmHeap } from '@learnability/core';
import { backend_util, getKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { heapFull } from './heap-guard.js';
import { isReplaced, replaceKernels } from './replace-kernels.js';

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses (public fields in 4.22). */
interface WasmBackendInternals {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined; delete(dataId: object): void };
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: { disposeData(id: number): void };
  };
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number): TensorInfo;
  disposeData(dataId: object): boolean;
}

function isWasmBackend(backend: unknown): backend is WasmBackendInternals {
  const b = backend as Partial<WasmBackendInternals> | null;
  return (
    typeof b?.makeOutput === 'function' &&
    typeof b.wasm?.cwrap === 'function' &&
    typeof b.wasm.tfjs?.disposeData === 'function' &&
    b.dataIdMap !== undefined
  );
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const FLOAT_BYTES = 4;
const PATCHED = Symbol.for('learnability.batchedMatMul');

type RawMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  ta: boolean,
  tb: boolean,
  outId: number,
) => void;

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** A NaN whose payload no arithmetic writes (wasm's NaN results are canonical, or an input's): an output element nothing wrote. */
const UNWRITTEN = 0x7fa5a5a5;

/**
 * Runs `call`, an XNNPACK product into the output at byte `at`, and throws if it wrote nothing.
 * tfjs-wasm only prints a warning and returns when XNNPACK cannot create or set up its operator,
 * which happens when the heap is full (status 6): the output would keep whatever the heap held.
 */
export function written(heap: WebAssembly.Memory, at: number, product: string, call: () => void): void {
  new Int32Array(heap.buffer)[at >>> 2] = UNWRITTEN; // >>> : addresses past 2 GiB are unsigned
  call();
  // The heap may have grown during the call: a new view of its (new) buffer.
  if (new Int32Array(heap.buffer)[at >>> 2] === UNWRITTEN) {
    throw new LearnabilityError(
      `wasm: XNNPACK did not compute the product ${product}, most likely because the wasm heap is full ${heapFull(heap)}`,
    );
  }
}

/** Whether the wasm BatchMatMul registered now is this one (flagged operands then cost no more than explicit transposes). */
export function hasBatchedMatMul(): boolean {
  const kernel = getKernel('BatchMatMul', 'wasm');
  return kernel !== undefined && isReplaced(kernel, PATCHED);
}

/**
 * Replaces the wasm BatchMatMul kernel with this one; `gemm` is an instance of the gemm module on
 * the backend's heap (gemm-instance.ts), or null to route small products to the original kernel.
 * Call after the wasm backend is initialised; idempotent. Returns false if the backend's internals
 * are not the expected ones (the original kernel then stays in place).
 */
export function installBatchedMatMul(backend: unknown, gemm: GemmExports | null): boolean {
  const original = getKernel('BatchMatMul', 'wasm');
  if (!original || !isWasmBackend(backend)) return false;
  if (isReplaced(original, PATCHED)) return true;
  const raw = backend.wasm.cwrap('BatchMatMul', null, [
    'number',
    'array',
    'number',
    'number',
    'array',
    'number',
    'number',
    'number',
    'number',
  ]) as RawMatMul;
  const transpose = getKernel('Transpose', 'wasm');
  if (!transpose) return false;
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const w = args.backend;
    const plan = planOf(a, b, transposeA, transposeB, gemm !== null);
    if (plan === null || !isWasmBackend(w)) return original.kernelFunc(args);
    const offset = (t: TensorInfo) => (w.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
    if (plan.route === 'gemm') return gemmProduct(w, gemm as GemmExports, offset, a, b, transposeA, transposeB, plan);
    const id = (t: TensorInfo) => (w.dataIdMap.get(t.dataId) as { id: number }).id;
    const heap = wasmHeap(w) as WebAssembly.Memory;
    // (batch, rows, cols) → (batch, cols, rows) with the wasm Transpose kernel.
    const materialise = (t: TensorInfo, batch: number, rows: number, cols: number) =>
      transpose.kernelFunc({
        inputs: { x: { ...t, shape: [batch, rows, cols] } },
        attrs: { perm: [0, 2, 1] },
        backend: args.backend,
      }) as TensorInfo;
    const { batchA, batchB, M, K, N, outShape } = plan;
    const aN = transposeA ? materialise(a, batchA, K, M) : a;
    const bN = transposeB ? materialise(b, batchB, N, K) : b;
    const batch = Math.max(batchA, batchB);
    const out = w.makeOutput([batch, M, N], 'float32');
    const product = `(${batch}·${M} × ${K})·(${K} × ${N})`;
    if (batchB === 1) {
      // Same weights for every batch: one (batch·M, K)·(K, N) product.
      written(heap, offset(out), product, () =>
        raw(id(aN), shapeBytes([1, batch * M, K]), 3, id(bN), shapeBytes([1, K, N]), 3, false, false, id(out)),
      );
    } else {
      const view = (parent: TensorInfo, index: number, rows: number, cols: number) =>
        w.makeOutput([1, rows, cols], 'float32', offset(parent) + index * rows * cols * FLOAT_BYTES);
      const release = (t: TensorInfo) => {
        // Unregister without freeing: the memory belongs to the parent tensor.
        w.wasm.tfjs.disposeData(id(t));
        w.dataIdMap.delete(t.dataId);
      };
      for (let i = 0; i < batch; i++) {
        const av = view(aN, batchA === 1 ? 0 : i, M, K);
        const bv = view(bN, i, K, N);
        const ov = view(out, i, M, N);
        written(heap, offset(ov), product, () =>
          raw(id(av), shapeBytes([1, M, K]), 3, id(bv), shapeBytes([1, K, N]), 3, false, false, id(ov)),
        );
        release(av);
        release(bv);
        release(ov);
      }
    }
    if (aN !== a) w.disposeData(aN.dataId);
    if (bN !== b) w.disposeData(bN.dataId);
    return { ...out, shape: outShape };
  };
  replaceKernels(PATCHED, [[original, kernelFunc]]);
  return true;
}

/**
 * Below this many multiply-adds per slice, a batch of slices never goes to XNNPACK: each XNNPACK
 * call costs ≈ 5–13 µs however small its slice. Measured here (2 cores, 1 and 2 threads):
 * attention's (256, 18, 18)·(256, 18, 8) took 3.2 ms through XNNPACK slices and 0.57 ms in the
 * naive loop, (128, 16, 16)·(128, 16, 16) 1.0–2.7 ms and 0.5 ms; from (128, 24, 24)·(128, 24, 24)
 * (13,824 per slice) XNNPACK is level or faster, and (128, 32, 32)² takes 0.9–1.4 ms against 3.1 ms.
 */
export const SMALL_SLICE = 8_192;

/**
 * Up to this many multiply-adds in all, a product runs in the gemm module on one thread rather
 * than in XNNPACK on all of them. Measured on the 2 cores here with new weights each call (ms,
 * gemm / XNNPACK with 2 threads): (1152 × 128)·(128 × 32) 0.21 / 0.35–1.0, (5248 × 64)·(64 × 64)
 * 1.0 / 1.3, (5248 × 256)·(256 × 256) 15 / 10. Attention's (256, 18, 18)·(256, 18, 8): 0.044 ms
 * against 0.59 in tfjs's naive loop. XNNPACK keeps an operator while its weights tensor lives, so
 * with fixed weights (FA's and DFA's feedback matrices) it wins sooner: with the limit at 2²⁵,
 * DFA at width 512 (products of 17–26 M) lost a quarter of its speed, so the limit is 2²³.
 */
export const GEMM_MAX = 2 ** 23;

/**
 * A transposed left operand (a weight gradient Aᵀ·D over many rows) runs in the gemm module
 * whatever its length K when its output has at most this many entries: XNNPACK would first
 * materialise Aᵀ and pack D, both new every step. Measured on the 2 cores here with new operands
 * each call (ms, K-chunked gemm on one thread / XNNPACK on 1 and 2 threads): the RNN's
 * (5000 × 64)ᵀ(5000 × 64) 1.5 / 3.1 and 2.7, (5000 × 128)ᵀ(5000 × 128) 6.2 / 11.1 and 7.8,
 * (5248 × 256)ᵀ(5248 × 256) 29 / 44 and 30; larger outputs stay with XNNPACK's threads.
 */
export const GEMM_TRANSPOSED_OUT_MAX = 2 ** 16;

/**
 * A transposed left operand is summed over K in chunks of this many rows, each added onto the
 * output: the gemm reads the right operand in 8-column panels for each 4-row tile, and a panel of
 * all K rows (5,000 × 32 B at the RNN's size) falls out of L1 between tiles. 1.5 ms against 3.5
 * unchunked for (5000 × 64)ᵀ(5000 × 64); 128 to 1,024 rows all measured within 10% of each other.
 */
export const GEMM_K_CHUNK = 512;

/** Where a product runs and its sizes, or null when the original kernel should run. */
export function planOf(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, withGemm = true) {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return null; // mixed broadcasting
  if (batchA === 0 || batchB === 0) return null; // an empty batch: the original kernel's to shape
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const M = transposeA ? ca : ra;
  const K = transposeA ? ra : ca;
  const N = transposeB ? rb : cb;
  if ((transposeB ? cb : rb) !== K || M === 0 || K === 0 || N === 0) return null; // let the original report it
  const batch = Math.max(batchA, batchB);
  // The outer shapes broadcast, as tf.matMul's: a side of batch 1 may have more dimensions
  // ((5,4)·(1,4,3) is (1,5,3), not (5,3)).
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const sizes = { batchA, batchB, M, K, N, outShape: [...outer, M, N] };
  const small = M * K * N < SMALL_SLICE;
  const gradient = transposeA && M * N <= GEMM_TRANSPOSED_OUT_MAX;
  if (withGemm && (small || gradient || batch * M * K * N <= GEMM_MAX)) return { route: 'gemm' as const, ...sizes };
  if (batchB > 1 && small) return null; // one XNNPACK call per slice would cost more than the product
  return { route: 'xnnpack' as const, ...sizes };
}

type MatMulPlan = NonNullable<ReturnType<typeof planOf>>;
const F = FLOAT_BYTES;

/**
 * The product in the gemm module, slice by slice on the heap (one call when B is shared and A not
 * transposed); a transposed A is summed in chunks of GEMM_K_CHUNK rows, each added onto the output.
 */
function gemmProduct(
  w: WasmBackendInternals,
  gemm: GemmExports,
  offset: (t: TensorInfo) => number,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  plan: MatMulPlan,
): TensorInfo {
  const { batchA, batchB, M, K, N, outShape } = plan;
  const batch = Math.max(batchA, batchB);
  const out = w.makeOutput([batch, M, N], 'float32');
  // Bᵀ of the current slice, (K, N) row-major: the gemm reads its right operand by rows.
  const scratch = transposeB ? w.makeOutput([K, N], 'float32') : null;
  // Allocation is done: heap addresses are stable from here.
  const [aAt, bAt, outAt] = [offset(a), offset(b), offset(out)];
  const [leftRow, leftCol] = transposeA ? [F, M * F] : [K * F, F]; // A stored (K, M) or (M, K)
  const oneCall = batchB === 1 && !transposeA;
  const rows = oneCall ? batch * M : M;
  for (let i = 0; i < (oneCall ? 1 : batch); i++) {
    const bSlice = bAt + (batchB === 1 ? 0 : i) * K * N * F;
    let right = bSlice;
    if (scratch) {
      right = offset(scratch);
      // B stored (N, K): its transpose into the scratch, once when every slice shares it.
      if (i === 0 || batchB > 1) gemm.transpose(bSlice, K * F, right, N * F, N, K, 0);
    }
    const left = aAt + (batchA === 1 ? 0 : i) * M * K * F;
    const at = outAt + i * M * N * F;
    const chunk = transposeA ? GEMM_K_CHUNK : K;
    for (let k = 0; k < K; k += chunk) {
      // Rows k … k + chunk of both operands; from the second chunk on, the output so far is added (Cin = out, β = 1).
      const [more, sum] = k === 0 ? [0, 0] : [at, 1];
      const rowsK = Math.min(chunk, K - k);
      gemm.gemm(
        left + k * leftCol,
        leftRow,
        leftCol,
        right + k * N * F,
        N * F,
        rows,
        rowsK,
        N,
        at,
        N * F,
        more,
        0,
        0,
        1,
        sum,
        0,
      );
    }
  }
  if (scratch) w.disposeData(scratch.dataId);
  return { ...out, shape: outShape };
}
