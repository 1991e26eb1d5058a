/**
 * Picking a row-operation kernel by name. Kernels hold scratch memory, so each named kernel is
 * created once and shared (calls are synchronous, so sharing is safe within one thread).
 */
import { createJsKernel } from './kernel.js';
import type { Gf2Kernel } from './kernel.js';
import { createWasmKernel, wasmKernelUnavailableReason } from './wasm-kernel.js';

/** `auto`: WebAssembly SIMD where available, else plain JS. */
export type Gf2KernelName = 'auto' | 'js' | 'wasm-simd';

let jsKernel: Gf2Kernel | undefined;
let wasmKernel: Gf2Kernel | undefined;
let wasmFailed = false;

/** The shared kernel for `choice` (a kernel object is returned as is). Throws if `wasm-simd` cannot run here. */
export function resolveGf2Kernel(choice: Gf2KernelName | Gf2Kernel = 'auto'): Gf2Kernel {
  if (typeof choice === 'object' && choice !== null) return choice;
  if (choice === 'wasm-simd' || (choice === 'auto' && !wasmFailed)) {
    if (wasmKernel) return wasmKernel;
    if (choice === 'auto' && wasmKernelUnavailableReason() !== null) wasmFailed = true;
    else return (wasmKernel = createWasmKernel());
  }
  if (choice !== 'js' && choice !== 'auto')
    throw new RangeError(`resolveGf2Kernel: unknown kernel "${String(choice)}"; use auto, js or wasm-simd`);
  return (jsKernel ??= createJsKernel());
}
