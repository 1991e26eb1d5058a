/**
 * `Gf2Kernel` on WebAssembly SIMD: the same row operations as the JS kernel, 128 bits per XOR.
 * Works wherever WebAssembly SIMD does (Node ≥ 16.4, current browsers); the module is < 1 KB,
 * so compiling it synchronously is allowed on a browser's main thread.
 */
import type { Gf2Kernel } from './kernel.js';
import { gf2WasmBytes } from './wasm-module.js';

interface Gf2WasmExports {
  memory: WebAssembly.Memory;
  xorRow(dst: number, src: number, from: number, to: number): void;
  xorInto(dst: number, x: number, y: number, from: number, to: number): void;
  applyTables(
    rowStart: number,
    rowEnd: number,
    stride: number,
    col: number,
    lenMask: number,
    bitsPerTable: number,
    tables: number,
    from: number,
    to: number,
    count: number,
  ): void;
}

const PAGE_BYTES = 65536;

function checkedExports(exports: WebAssembly.Exports): Gf2WasmExports {
  const { memory, xorRow, xorInto, applyTables } = exports;
  if (
    !(memory instanceof WebAssembly.Memory) ||
    typeof xorRow !== 'function' ||
    typeof xorInto !== 'function' ||
    typeof applyTables !== 'function'
  ) {
    throw new Error('createWasmKernel: the module lacks its exports (memory, xorRow, xorInto, applyTables)');
  }
  return {
    memory,
    xorRow: xorRow as Gf2WasmExports['xorRow'],
    xorInto: xorInto as Gf2WasmExports['xorInto'],
    applyTables: applyTables as Gf2WasmExports['applyTables'],
  };
}

/** Why the WebAssembly kernel cannot run here, or null when it can. */
export function wasmKernelUnavailableReason(): string | null {
  if (typeof WebAssembly !== 'object') return 'WebAssembly is not available';
  try {
    return WebAssembly.validate(gf2WasmBytes()) ? null : 'this engine does not support WebAssembly SIMD';
  } catch (error) {
    return `WebAssembly failed: ${String(error)}`;
  }
}

/** A WebAssembly SIMD kernel; throws when WebAssembly SIMD is unavailable (see `wasmKernelUnavailableReason`). */
export function createWasmKernel(): Gf2Kernel {
  const reason = wasmKernelUnavailableReason();
  if (reason !== null) throw new Error(`createWasmKernel: ${reason}; use the "js" kernel`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(gf2WasmBytes()), {});
  const wasm = checkedExports(instance.exports);
  let a = new Int32Array(wasm.memory.buffer);
  const view = (): Int32Array => {
    if (a.buffer !== wasm.memory.buffer) a = new Int32Array(wasm.memory.buffer);
    return a;
  };
  return {
    name: 'wasm-simd',
    memory(words) {
      const bytes = words * 4;
      const have = wasm.memory.buffer.byteLength;
      if (have < bytes) wasm.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
      return view();
    },
    view,
    xorRow: (dst, src, from, to) => wasm.xorRow(dst, src, from, to),
    xorInto: (dst, x, y, from, to) => wasm.xorInto(dst, x, y, from, to),
    applyTables(rowStart, rowEnd, stride, col, len, bitsPerTable, tables, from, to) {
      const lenMask = len === 32 ? -1 : (1 << len) - 1;
      wasm.applyTables(
        rowStart,
        rowEnd,
        stride,
        col,
        lenMask,
        bitsPerTable,
        tables,
        from,
        to,
        Math.ceil(len / bitsPerTable),
      );
    },
  };
}
