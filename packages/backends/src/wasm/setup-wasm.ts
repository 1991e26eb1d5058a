/**
 * The wasm backend: SIMD when the engine has it, and real threads in Node (node-pthreads.ts) and
 * in cross-origin-isolated pages (browser-threads.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError } from '@learnability/core';
import { activate } from '../activate.js';
import { WASM_MAX_THREADS } from '../setup-options.js';
import { logicalCores, runtimePlatform } from '../runtime.js';
import { installBatchedMatMul } from './batched-mat-mul.js';
import { installSimdBroadcast } from './broadcast.js';
import { gemmOnHeap } from './gemm-instance.js';
import { installHeapCopies } from './heap-copies.js';
import { wasmHeap } from '@learnability/core';
import { installHeapGuard } from './heap-guard.js';
import { withoutAddedProcessHandlers } from './process-handlers.js';
import { heapRoutinesOn } from './heap-routines.js';
import { installSharedIdentity } from './shared-identity.js';
import { installSimdSum } from './sum.js';
import { installSimdTanh } from './tanh.js';
import { withBrowserCores } from './browser-threads.js';

/** What the wasm backend runs with, read back after initialisation. */
export interface WasmSetup {
  threads: number;
  simd: boolean;
}

const FIX = 'use --backend cpu';

/** The thread count this package initialised wasm with (fixed for the life of the process). */
let initialisedWith: number | undefined;

/** Thread count in use, or undefined while the wasm backend is not initialised. */
function threadsInUse(getThreadsCount: () => number): number | undefined {
  try {
    return getThreadsCount();
  } catch {
    return undefined; // tfjs throws "WASM backend not initialized."
  }
}

/** The thread count wasm runs with in this process, or undefined before its first setup. */
export async function wasmThreadsRunning(): Promise<number | undefined> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return threadsInUse(wasm.getThreadsCount);
}

/** What `setupWasm` needs from `SetupBackendOptions`. */
export interface WasmOptions {
  /** Asked-for thread count; undefined = logical cores on first setup, whatever runs later. */
  threads: number | undefined;
  wasmPaths: string | undefined;
}

/** Initialises (first call) or re-activates the wasm backend. */
export async function setupWasm(options: WasmOptions): Promise<WasmSetup> {
  // Its range was checked with every other option (setup-options.ts).
  const asked = options.threads;
  if (typeof WebAssembly !== 'object') {
    throw new LearnabilityError('setupBackend: this JavaScript engine has no WebAssembly; use --backend cpu');
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const running = await wasmThreadsRunning();
  const mismatch = running !== undefined && asked !== undefined && asked !== running && asked !== initialisedWith;
  if (mismatch) {
    throw new LearnabilityError(
      `setupBackend: wasm already runs with ${running} thread(s)${initialisedWith === undefined ? '' : ` (asked for ${initialisedWith})`}; ` +
        `threads are fixed once per process, so asking for ${asked} needs a new process`,
    );
  }
  if (running === undefined) {
    const threads = asked ?? Math.min(WASM_MAX_THREADS, await logicalCores());
    if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
    wasm.setThreadsCount(threads);
    // Emscripten's process handlers hide a program's later errors behind its source (process-handlers.ts).
    await withoutAddedProcessHandlers(async () => {
      if (threads === 1) {
        await activate('wasm', FIX);
      } else if (runtimePlatform() === 'node') {
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
        const { withNodePthreads } = await import('./node-pthreads.js');
        await withNodePthreads(threads, () => activate('wasm', FIX));
      } else {
        await withBrowserCores(threads, () => activate('wasm', FIX));
      }
    });
    initialisedWith = threads;
  } else {
    await activate('wasm', FIX);
  }
  // A tensor the heap cannot hold is an error, not a write over the heap's start (heap-guard.ts).
  // MatMuls in a SIMD gemm on the heap or through XNNPACK, never tfjs's naive loop (batched-mat-mul.ts);
  // slices, splits, concatenations and pads copied within the heap, clones that share memory, and
  // tanh, sums over a run of adjacent axes that are not the innermost, and broadcast adds,
  // subtractions and products in SIMD
  // (heap-copies.ts, shared-identity.ts, tanh.ts, sum.ts, broadcast.ts).
  // Our modules use WebAssembly SIMD: an engine without it keeps tfjs-wasm's own kernels for those.
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const memory = simd ? wasmHeap(tf.backend()) : undefined;
  const routines = memory ? await heapRoutinesOn(memory) : null;
  installHeapGuard(tf.backend());
  installBatchedMatMul(tf.backend(), simd ? await gemmOnHeap(tf.backend()) : null);
  installHeapCopies(tf.backend(), routines);
  installSharedIdentity(tf.backend());
  installSimdTanh(tf.backend(), routines);
  installSimdSum(tf.backend(), routines);
  installSimdBroadcast(tf.backend(), routines);
  return { threads: wasm.getThreadsCount(), simd };
}
