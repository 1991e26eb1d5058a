/**
 * The gemm module of `@learnability/wasm-asm/gemm` on the tfjs-wasm heap, for the BatchMatMul
 * kernel (batched-mat-mul.ts): the same instance the fused dense step uses (`gemmOnMemory`).
 */
import { gemmOnMemory } from '@learnability/wasm-asm/gemm';
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import { wasmHeap } from '@learnability/core';

/** The module's routines on `backend`'s heap, or null when the backend does not expose its heap. */
export async function gemmOnHeap(backend: unknown): Promise<GemmExports | null> {
  const memory = wasmHeap(backend);
  return memory ? (await gemmOnMemory(memory)).exports : null;
}
