/**
 * A whole module (core spec 2.0 §5.5): functions exported by name over one linear memory, which the
 * module either defines (and exports) or imports.
 */
import { name, section, uleb, vec } from './encoding.js';
import type { Code } from './instructions.js';

/** One function: exported as `name`; it returns nothing (kernels write their results to memory). */
export interface AsmFunction {
  /** Its export name. */
  name: string;
  /** Parameter value types (`I32`, `F32`, `V128`), numbered from local 0. */
  params: number[];
  /** Locals after the parameters, as runs of [count, value type]: `[[3, I32], [1, F32]]`. */
  locals: [count: number, type: number][];
  /** Its instructions, without the final `end`. */
  body: Code;
}

/** The module's one linear memory (memory index 0). */
export type ModuleMemory =
  /** Defined by the module (§5.5.8), 1 page (64 KiB) to start with no maximum, grown from JS; exported first, as `name`. */
  | { kind: 'exported'; name: string }
  /**
   * Imported as `module.name` (§5.5.5), at least 1 page. `shared` (threads proposal) declares it
   * shared, as a SharedArrayBuffer heap (the threaded tfjs-wasm build's) must be, with the maximum
   * 65,536 pages (4 GiB) a shared memory needs.
   */
  | { kind: 'imported'; module: string; name: string; shared: boolean };

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // §5.5.16
const SECTION = { type: 1, import: 2, function: 3, memory: 5, export: 7, code: 10 } as const; // §5.5.2
const FUNC_TYPE = 0x60; // §5.3.6
const EXTERN = { func: 0x00, mem: 0x02 } as const; // import and export descriptors, §5.5.5 and §5.5.10
const END = 0x0b;

/** Limits (§5.3.7): flag 0x00 = min only, 0x01 = min and max; 0x03 = min and max, shared (threads). */
function memoryLimits(shared: boolean): number[] {
  return shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
}

/** A code-section entry (§5.5.13): its size in bytes, its local declarations, its body, `end`. */
function functionCode(f: AsmFunction): number[] {
  const fn = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, END];
  return [...uleb(fn.length), ...fn];
}

/**
 * The bytes of a module with `functions` (function i has type i: no type is shared) and `memory`.
 * Sections, in the spec's order: type, import (imported memory), function, memory (own memory),
 * export (the own memory first, then every function by name), code.
 */
export function assembleModule(functions: AsmFunction[], memory: ModuleMemory): Uint8Array<ArrayBuffer> {
  const memoryExports = memory.kind === 'exported' ? [[...name(memory.name), EXTERN.mem, 0]] : [];
  const bytes = [
    ...MAGIC_AND_VERSION,
    ...section(SECTION.type, vec(functions.map((f) => [FUNC_TYPE, ...vec(f.params.map((t) => [t])), 0]))),
    ...(memory.kind === 'imported'
      ? section(
          SECTION.import,
          vec([[...name(memory.module), ...name(memory.name), EXTERN.mem, ...memoryLimits(memory.shared)]]),
        )
      : []),
    ...section(SECTION.function, vec(functions.map((_, i) => uleb(i)))),
    ...(memory.kind === 'exported' ? section(SECTION.memory, vec([memoryLimits(false)])) : []),
    ...section(
      SECTION.export,
      vec([...memoryExports, ...functions.map((f, i) => [...name(f.name), EXTERN.func, ...uleb(i)])]),
    ),
    ...section(SECTION.code, vec(functions.map(functionCode))),
  ];
  return new Uint8Array(bytes);
}

/**
 * For a module that imports `env.memory`: a function that instantiates `bytes(shared)` on a
 * memory (shared or not, as the memory is: the threaded tfjs-wasm build's heap is) once per
 * memory, however often it is asked, and gives its exports as `T`.
 */
export function instancePerMemory<T>(
  bytes: (sharedMemory: boolean) => Uint8Array<ArrayBuffer>,
): (memory: WebAssembly.Memory) => Promise<T> {
  const onMemory = new WeakMap<WebAssembly.Memory, Promise<T>>();
  return (memory) => {
    let exports = onMemory.get(memory);
    if (!exports) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      // WebAssembly's exports are untyped; T is the caller's description of the module it assembled.
      exports = WebAssembly.instantiate(bytes(shared), { env: { memory } }).then(
        ({ instance }) => instance.exports as unknown as T,
      );
      onMemory.set(memory, exports);
    }
    return exports;
  };
}
