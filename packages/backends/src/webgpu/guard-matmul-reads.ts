/**
 * A fix for tfjs-backend-webgpu 4.22's batched matMul, which lets batches mix.
 *
 * Its matMul programs (matmul_packed_webgpu.ts's `matMulReadFnSource`, shared by the small-output,
 * packed, split-K and reduce programs) read A with a bounds check and B without one. The last tile
 * along K runs past row K − 1 of B[batch] into the first rows of B[batch + 1], and multiplies them
 * by A's zero padding. 0 · x = 0 for finite x, so results are right until B[batch + 1] holds a NaN
 * or ±∞: then 0 · NaN = NaN lands in batch `batch`. With replicas packed on the batch axis, one
 * diverged replica poisoned its neighbour (measured on lavapipe: (3,128,4)·(3,4,16) with NaN in
 * batch 1 gave 2,048 NaNs in batch 0; (3,300,40)·(3,40,300) gave 90,000, every entry).
 *
 * The fix rewrites each matMul program's `mm_readB` before tfjs compiles it, so that a read past K
 * is 0, as A's padding is. A past-N column of B needs no guard: it only feeds outputs that
 * `mm_write` never writes.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-webgpu's program interface this reads (webgpu_program.ts). */
interface WebGpuProgram {
  shaderKey: string;
  getUserCode(): string;
}

type RunProgram = (program: WebGpuProgram, ...rest: unknown[]) => unknown;

/** `fn mm_readB(batch: i32, row: i32, col: i32) -> f32 {` (or `-> vec4<f32>`), as matMulReadFnSource writes it. */
const READ_B = /fn mm_readB\(\s*batch\s*:\s*i32\s*,\s*row\s*:\s*i32\s*,\s*col\s*:\s*i32\s*\)\s*->\s*([\w<>]+)\s*\{/;

/** Every matMul program's key starts so (matMulPacked_, matMulSmallOutputSize_, matMulSplitK_, matMulReduce_). */
const MATMUL_KEY = 'matMul';

/**
 * `code` with its `mm_readB` renamed and wrapped in one that returns 0 for row ≥ K
 * (`uniforms.dimInner`, which every matMul program declares). Throws where a tfjs version writes
 * it otherwise: an unguarded matMul must not run silently.
 */
export function guardReadB(code: string, shaderKey: string): string {
  if (code.includes('fn mm_readB_unguarded(')) return code;
  const found = READ_B.exec(code);
  if (!found) {
    throw new Error(
      `webgpu: matMul program ${shaderKey} has no mm_readB of the form tfjs-backend-webgpu 4.22 writes; guard-matmul-reads.ts must be updated for this tfjs version`,
    );
  }
  const type = found[1] as string;
  return `${code.replace(READ_B, `fn mm_readB_unguarded(batch: i32, row: i32, col: i32) -> ${type} {`)}
  fn mm_readB(batch: i32, row: i32, col: i32) -> ${type} {
    // Past K the unguarded read reaches B's next batch (tfjs 4.22): 0 here, as A's padding is.
    if (row >= uniforms.dimInner) {
      return ${type}(0.0);
    }
    return mm_readB_unguarded(batch, row, col);
  }
`;
}

const guardedBackends = new WeakSet<object>();

/**
 * Makes `backend` (tfjs-backend-webgpu's) compile every matMul program with `guardReadB`. Its
 * kernels dispatch through `backend.runWebGPUProgram`, which calls `getUserCode()` only when the
 * program's pipeline is not cached yet; so this must run before the first matMul. Idempotent.
 */
export function guardMatMulReads(backend: tf.KernelBackend): void {
  if (guardedBackends.has(backend)) return;
  const run = Reflect.get(backend, 'runWebGPUProgram') as RunProgram | undefined;
  if (typeof run !== 'function') throw new Error('webgpu: the backend has no runWebGPUProgram to guard');
  const guarded: RunProgram = (program, ...rest) => {
    // A program dispatched twice is wrapped twice: harmless, guardReadB leaves guarded code as it is.
    if (program.shaderKey.startsWith(MATMUL_KEY)) {
      const userCode = program.getUserCode.bind(program);
      const key = program.shaderKey;
      program.getUserCode = () => guardReadB(userCode(), key);
    }
    return run.call(backend, program, ...rest);
  };
  Reflect.set(backend, 'runWebGPUProgram', guarded);
  guardedBackends.add(backend);
}
