/**
 * A few-line WebAssembly assembler: opcodes, control-flow helpers and module layout, so the
 * SIMD kernels in this folder are built from JS at load time (no toolchain, no binary file).
 * Opcodes from the WebAssembly core spec §5.4 and the fixed-width SIMD proposal (prefix 0xfd).
 * The same approach as @learnability/parity's gf2/wasm-module.ts; the binary encoding is core's.
 */
import { sleb, uleb, wasmName as str, wasmSection as section, wasmVec as vec } from '@learnability/core';

export type Code = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

// ── instructions ────────────────────────────────────────────────────────────────────────────
export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number): Code => [0x21, ...uleb(i)];
export const tee = (i: number): Code => [0x22, ...uleb(i)];
export const i32c = (n: number): Code => [0x41, ...sleb(n)];
export const f32c = (x: number): Code => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];
export const op = {
  eqz: 0x45, ne: 0x47, ltS: 0x48, gtS: 0x4a, geS: 0x4e,
  add: 0x6a, sub: 0x6b, mul: 0x6c,
  f32Gt: 0x5e, f32Add: 0x92, f32Mul: 0x94, f32Max: 0x97, select: 0x1b,
} as const;
/** f32.load / f32.store, 4-byte aligned, constant byte `offset`. */
export const f32Load = (offset = 0): Code => [0x2a, 2, ...uleb(offset)];
export const f32Store = (offset = 0): Code => [0x38, 2, ...uleb(offset)];
const simd = (code: number): Code => [0xfd, ...uleb(code)];
/** v128.load / v128.store with alignment hint 16 (a hint only: unaligned addresses work). */
export const v128Load = (offset = 0): Code => [...simd(0x00), 4, ...uleb(offset)];
export const v128Store = (offset = 0): Code => [...simd(0x0b), 4, ...uleb(offset)];
/** v128.load32_splat: one float from memory into all four lanes (one instruction on x64). */
export const v128Load32Splat: Code = [...simd(0x09), 2, 0];
export const v128Zero: Code = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const f32x4 = { splat: simd(0x13), add: simd(0xe4), mul: simd(0xe6), max: simd(0xe9) } as const;

/** local += delta (i32; delta is code that pushes one i32). */
export const bump = (i: number, delta: Code): Code => [...get(i), ...delta, op.add, ...set(i)];

/** `if (cond) { body }` — cond pushes one i32. */
export const ifThen = (cond: Code, body: Code): Code => [...cond, 0x04, 0x40, ...body, 0x0b];

/** `while (cond) { body }` — cond pushes one i32, evaluated before every pass. */
export const whileLoop = (cond: Code, body: Code): Code => [
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...cond, op.eqz, 0x0d, 1, // br_if 1 (exit) when !cond
  ...body,
  0x0c, 0, // br 0 (continue)
  0x0b, 0x0b,
];

/** `do { body } while (--counter != 0)` — counter is an i32 local ≥ 1 on entry. */
export const countDown = (counter: number, body: Code): Code => [
  0x03, 0x40, ...body, ...get(counter), ...i32c(1), op.sub, ...tee(counter), 0x0d, 0, 0x0b,
];

/** A function body: locals as [count, type] runs, then the code. */
export function funcBody(locals: [number, number][], body: Code): Code {
  const fn = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...body, 0x0b];
  return [...uleb(fn.length), ...fn];
}

export interface AsmFunction {
  name: string;
  params: number[];
  locals: [number, number][];
  body: Code;
}

/**
 * A module importing `env.memory` (shared when `sharedMemory`: the threaded tfjs-wasm heap is a
 * SharedArrayBuffer) and exporting each function by name. Memory limits: min 1 page, max 4 GiB.
 */
export function assembleModule(functions: AsmFunction[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const memLimits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]))),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, ...memLimits]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => funcBody(f.locals, f.body)))),
  ];
  return new Uint8Array(bytes);
}
