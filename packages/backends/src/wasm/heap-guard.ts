/**
 * A full wasm heap, made an error. tfjs-backend-wasm 4.22 takes every tensor's memory from the
 * heap's `_malloc` and never checks the result: when the heap cannot grow (a 32-bit heap holds at
 * most 4 GiB) `_malloc` returns 0, and the tensor is written over the start of the heap, silently;
 * from 2 GiB up it may return worse (ONE_TENSOR_MAX).
 * This wraps `_malloc` so that a failed allocation throws one line that says what to lower.
 */
import { LearnabilityError, wasmHeap } from '@learnability/core';
import { WASM_HEAP_BYTES } from '../memory-limits.js';

const GUARDED = Symbol.for('learnability.heapGuard');

/** The part of tfjs-backend-wasm's BackendWasm the guard wraps (public in 4.22). */
interface Allocating {
  wasm: { _malloc(bytes: number): number; _free(at: number): void; [GUARDED]?: true };
}

/**
 * Bytes one tensor may take. From 2 GiB up the allocator's sizes are negative 32-bit numbers: on
 * a heap that cannot grow, `_malloc(3e9)` returned an address past the heap's end instead of 0.
 */
const ONE_TENSOR_MAX = 2 ** 31;

/** Bytes in MiB, rounded up, for messages (`1,908`). */
const mib = (bytes: number): string => Math.ceil(bytes / 2 ** 20).toLocaleString('en-US');

/** How full the heap is, and what to lower: the end of every out-of-memory line on wasm. */
export const heapFull = (heap: WebAssembly.Memory): string =>
  `(grown to ${mib(heap.buffer.byteLength)} MiB, ${mib(WASM_HEAP_BYTES)} at most); ${FIX}`;

const FIX = "lower run.batchSize, run.evalChunk or the model's size, or use --backend webgpu";

/** Makes a failed tensor allocation on the wasm heap throw. Call after the wasm backend is initialised; idempotent. */
export function installHeapGuard(backend: unknown): boolean {
  const wasm = (backend as Partial<Allocating> | null)?.wasm;
  const heap = wasmHeap(backend);
  if (typeof wasm?._malloc !== 'function' || typeof wasm._free !== 'function' || !heap) return false;
  if (wasm[GUARDED]) return true;
  // Emscripten's `_malloc` replaces itself with the raw export on its first call: make that call
  // first, or it would replace the guard.
  wasm._free(wasm._malloc(16));
  const malloc = wasm._malloc;
  wasm._malloc = (bytes: number): number => {
    if (bytes >= ONE_TENSOR_MAX) {
      throw new LearnabilityError(
        `wasm: out of memory: a ${mib(bytes)} MiB tensor is over the ${mib(ONE_TENSOR_MAX)} MiB one wasm tensor may take; ${FIX}`,
      );
    }
    const at = malloc(bytes);
    if (at === 0 && bytes > 0) {
      throw new LearnabilityError(
        `wasm: out of memory: a ${mib(bytes)} MiB tensor does not fit in the wasm heap ${heapFull(heap)}`,
      );
    }
    return at;
  };
  wasm[GUARDED] = true;
  return true;
}
