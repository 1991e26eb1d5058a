/**
 * Instructions (core spec 2.0 §5.4) as byte arrays that concatenate: `[...get(0), ...i32c(4), op.add]`.
 * Only the instructions the repository's kernels use; any other is its opcode from the spec.
 */
import { sleb, uleb } from './encoding.js';

/** Instruction bytes. A kernel is built by spreading these into one array. */
export type Code = number[];

// Value types, for parameters and locals.
/** i32 (§5.3.1). */
export const I32 = 0x7f;
/** f32 (§5.3.1). */
export const F32 = 0x7d;
/** v128 (§5.3.2). */
export const V128 = 0x7b;

/**
 * One-byte opcodes of the numeric and parametric instructions the kernels use (§5.4.3, §5.4.7).
 * i32 instructions go by their bare name (`add` is `i32.add`, `ltU` is `i32.lt_u`); others carry
 * their type (`f32Add`, `i64ShrU`). Conversions: `wrap` is `i32.wrap_i64`, `extendU` is
 * `i64.extend_i32_u`, `f32ConvertI32S` is `f32.convert_i32_s`.
 */
export const op = {
  select: 0x1b,
  eqz: 0x45, eq: 0x46, ne: 0x47, ltS: 0x48, ltU: 0x49, gtS: 0x4a, leS: 0x4c, geS: 0x4e, geU: 0x4f,
  add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, shl: 0x74, shrU: 0x76,
  i64ShrU: 0x88,
  f32Gt: 0x5e, f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Max: 0x97,
  wrap: 0xa7, extendU: 0xad, f32ConvertI32S: 0xb2,
} as const;

// Locals (§5.4.4) are numbered parameters first, then the declared locals.
/** local.get `i`: pushes local i. */
export const get = (i: number): Code => [0x20, ...uleb(i)];
/** local.set `i`: pops into local i. */
export const set = (i: number): Code => [0x21, ...uleb(i)];
/** local.tee `i`: stores the top of the stack in local i and keeps it there. */
export const tee = (i: number): Code => [0x22, ...uleb(i)];

/** i32.const `n` (§5.4.7), an integer in [−2³¹, 2³¹). */
export const i32c = (n: number): Code => [0x41, ...sleb(n)];
/** f32.const `x` (§5.4.7), rounded to float32, little-endian. */
export const f32c = (x: number): Code => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];

/** local += delta (i32; `delta` is code that pushes one i32). */
export const bump = (i: number, delta: Code): Code => [...get(i), ...delta, op.add, ...set(i)];

/** A vector instruction (§5.4.8): prefix 0xfd, then its opcode as a u32. */
const simd = (code: number): Code => [0xfd, ...uleb(code)];

/**
 * Loads and stores (§5.4.6, §5.4.8): the address is on the stack; `offset` (bytes, default 0) is
 * added to it; `align` is the alignment hint as log2 bytes (default: the access's natural size —
 * a hint only, unaligned addresses work).
 */
export const mem = {
  i64Load: (offset = 0, align = 3): Code => [0x29, ...uleb(align), ...uleb(offset)],
  f32Load: (offset = 0, align = 2): Code => [0x2a, ...uleb(align), ...uleb(offset)],
  f32Store: (offset = 0, align = 2): Code => [0x38, ...uleb(align), ...uleb(offset)],
  v128Load: (offset = 0, align = 4): Code => [...simd(0x00), ...uleb(align), ...uleb(offset)],
  /** One 32-bit value from memory into all four lanes (one instruction on x64). */
  v128Load32Splat: (offset = 0, align = 2): Code => [...simd(0x09), ...uleb(align), ...uleb(offset)],
  v128Store: (offset = 0, align = 4): Code => [...simd(0x0b), ...uleb(align), ...uleb(offset)],
} as const;

/** f32x4.extract_lane `lane` (§5.4.8): the f32 in lane 0–3 of the vector on the stack. */
export const f32x4ExtractLane = (lane: number): Code => [...simd(0x1f), lane];

/** v128.const with 16 zero bytes. */
const v128Zero: Code = [...simd(0x0c), ...new Array<number>(16).fill(0)];

/** Vector instructions without immediates (§5.4.8), and `v128Zero` (v128.const 0). */
export const simdOp = {
  v128Zero,
  i32x4Splat: simd(0x11),
  f32x4Splat: simd(0x13),
  f32x4Lt: simd(0x43),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  v128Xor: simd(0x51),
  /** v128.bitselect(a, b, c): a where c's bits are 1, b where they are 0. */
  v128Bitselect: simd(0x52),
  f32x4Nearest: simd(0x6a),
  i32x4Shl: simd(0xab),
  i32x4Add: simd(0xae),
  f32x4Abs: simd(0xe0),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f32x4Min: simd(0xe8),
  f32x4Max: simd(0xe9),
  /** i32x4.trunc_sat_f32x4_s: each lane to the nearest i32 towards zero, saturating. */
  i32x4TruncSatF32x4S: simd(0xf8),
} as const satisfies Record<string, Code>;
