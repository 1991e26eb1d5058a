/**
 * What kernels that work in place on tfjs-backend-wasm 4.22's heap read of its backend (public
 * fields there): its linear memory, where a tensor sits in it, and how outputs are made and freed.
 * One description for the backends' own kernels and the models' fused ones.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** Where tfjs-backend-wasm 4.22 keeps its heap: `wasmMemory` in the threaded build, `asm.memory` otherwise. */
interface WasmHeapHolder {
  wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** The linear memory of a tfjs-wasm backend, or undefined when it does not expose it. */
export function wasmHeap(backend: unknown): WebAssembly.Memory | undefined {
  const wasm = (backend as WasmHeapHolder | null)?.wasm;
  return wasm?.wasmMemory ?? wasm?.asm?.memory;
}

/** The parts of BackendWasm a kernel on the heap uses: tensor offsets, new outputs, freeing scratch. */
export interface WasmTensorHeap {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object): boolean;
}

/** Whether `backend` has the parts of `WasmTensorHeap` (only the wasm backend does). */
export const isWasmTensorHeap = (backend: unknown): backend is WasmTensorHeap => {
  const b = backend as Partial<WasmTensorHeap> | null;
  return typeof b?.makeOutput === 'function' && typeof b.disposeData === 'function' && b.dataIdMap !== undefined;
};

/** The byte offset of a tensor's first element in the heap. */
export const wasmByteOffset = (w: WasmTensorHeap, t: TensorInfo): number =>
  (w.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
