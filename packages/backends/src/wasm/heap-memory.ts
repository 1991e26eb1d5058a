/** Where tfjs-backend-wasm 4.22 keeps its heap: `wasmMemory` in the threaded build, `asm.memory` otherwise. */
interface WasmHeapHolder {
  wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/** The linear memory of a tfjs-wasm backend, or undefined when it does not expose it. */
export function heapMemory(backend: unknown): WebAssembly.Memory | undefined {
  const wasm = (backend as WasmHeapHolder | null)?.wasm;
  return wasm?.wasmMemory ?? wasm?.asm?.memory;
}
