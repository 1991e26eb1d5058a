/**
 * What our wasm kernels read of tfjs-backend-wasm 4.22's backend (public fields there): its linear
 * memory, where a tensor sits in it, and how a new output is made.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** Where tfjs-backend-wasm 4.22 keeps its heap: `wasmMemory` in the threaded build, `asm.memory` otherwise. */
interface WasmHeapHolder {
  wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** The linear memory of a tfjs-wasm backend, or undefined when it does not expose it. */
export function heapMemory(backend: unknown): WebAssembly.Memory | undefined {
  const wasm = (backend as WasmHeapHolder | null)?.wasm;
  return wasm?.wasmMemory ?? wasm?.asm?.memory;
}

/** The parts of BackendWasm a kernel on the heap uses: tensor offsets and new outputs. */
export interface WasmTensorHeap {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/** Whether `backend` has the parts of `WasmTensorHeap` (only the wasm backend does). */
export const isTensorHeap = (backend: unknown): backend is WasmTensorHeap =>
  typeof (backend as Partial<WasmTensorHeap> | null)?.makeOutput === 'function' &&
  (backend as Partial<WasmTensorHeap>).dataIdMap !== undefined;

/** The byte offset of a tensor's first element in the heap. */
export const byteOffset = (w: WasmTensorHeap, t: TensorInfo): number =>
  (w.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
