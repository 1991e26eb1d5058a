/**
 * Tanh for the wasm backend in WebAssembly SIMD (`tanh` of heap-routines.ts), four floats at a
 * time. tfjs-backend-wasm 4.22 calls libm's tanhf one float at a time: 65 µs for the RCNN's
 * (32, 1, 16, 8) gate and 180 µs for the in-context one's (32, 9, 5, 8), about a tenth of a step.
 * Non-float32 tensors and those under four floats go to the original kernel.
 */
import { getKernel, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isWasmTensorHeap, wasmByteOffset } from '@learnability/core';
import type { HeapRoutines } from './heap-routines.js';
import { isReplaced, replaceKernels } from './replace-kernels.js';

const PATCHED = Symbol.for('learnability.simdTanh');

/** Replaces wasm's Tanh (float32) with `routines.tanh`. Call after the wasm backend is initialised; idempotent. */
export function installSimdTanh(backend: unknown, routines: HeapRoutines | null): boolean {
  const tanh = getKernel('Tanh', 'wasm');
  if (!tanh || !routines || !isWasmTensorHeap(backend)) return false;
  if (isReplaced(tanh, PATCHED)) return true;
  const tanhFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const n = util.sizeFromShape(x.shape);
    if (x.dtype !== 'float32' || n < 4) return tanh.kernelFunc(args);
    const w = args.backend;
    if (!isWasmTensorHeap(w)) return tanh.kernelFunc(args);
    const out = w.makeOutput([...x.shape], 'float32');
    routines.tanh(wasmByteOffset(w, x), wasmByteOffset(w, out), n);
    return out;
  };
  replaceKernels(PATCHED, [[tanh, tanhFunc]]);
  return true;
}
