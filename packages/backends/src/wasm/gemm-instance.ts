/**
 * The gemm module of `@learnability/wasm-asm/gemm` instantiated on the tfjs-wasm heap, once per
 * heap, for the BatchMatMul kernel (batched-mat-mul.ts). Compiled asynchronously: the module is
 * ≈ 5 KB, over the 4 KB browsers allow `new WebAssembly.Module` on their main thread.
 */
import { gemmExports, gemmWasmBytes } from '@learnability/wasm-asm/gemm';
import type { GemmExports } from '@learnability/wasm-asm/gemm';

/** Where tfjs-backend-wasm 4.22 keeps its heap: `wasmMemory` in the threaded build, `asm.memory` otherwise. */
interface WasmHeapHolder {
  wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

const instances = new WeakMap<WebAssembly.Memory, GemmExports>();

/** The module's routines on `backend`'s heap, or null when the backend does not expose its heap. */
export async function gemmOnHeap(backend: unknown): Promise<GemmExports | null> {
  const wasm = (backend as WasmHeapHolder | null)?.wasm;
  const memory = wasm?.wasmMemory ?? wasm?.asm?.memory;
  if (!memory) return null;
  let gemm = instances.get(memory);
  if (!gemm) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = await WebAssembly.compile(gemmWasmBytes(shared));
    gemm = gemmExports((await WebAssembly.instantiate(module, { env: { memory } })).exports);
    instances.set(memory, gemm);
  }
  return gemm;
}
