/**
 * Float32 maths on f32x4 values in locals, as code to splice into a function: constants in every
 * lane, Horner's rule, e^y for y ≤ 0, and the sum of a vector's lanes. WebAssembly SIMD has no
 * fused multiply-add, so every operation rounds once and the results are the same bits on every
 * engine.
 */
import type { Code } from './instructions.js';
import { f32c, f32x4ExtractLane, get, i32c, op, set, simdOp } from './instructions.js';

/** f32x4 with `x` in every lane. */
export const splat = (x: number): Code => [...f32c(x), ...simdOp.f32x4Splat];

/** acc = acc · z + c for each coefficient c: Horner's rule, the highest coefficient first (on the stack); `z` a v128 local. */
export const horner = (z: number, coefficients: readonly number[]): Code =>
  coefficients.flatMap((c) => [...get(z), ...simdOp.f32x4Mul, ...splat(c), ...simdOp.f32x4Add]);

/** ln 2 = LN2_HI + LN2_LO; LN2_HI has 15 significant bits, so k·LN2_HI is exact in float32 for |k| < 2⁹. */
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;

/** The lowest y that expOf takes: e^(−87) and expOf's 2^k there are still normal floats. */
export const EXP_LOWEST = -87;

/**
 * Pushes e^y for the y in v128 local `r`, each lane in [EXP_LOWEST, 0] (callers clamp), within
 * 1 ulp: e^y = 2^k · e^r with k = nearest(y / ln 2), r = y − k·ln 2 in two parts (Cody–Waite, so
 * r keeps float32 accuracy) and e^r by its degree-7 Taylor polynomial (|r| ≤ ln 2 / 2: 5e-9
 * relative), 2^k built in the exponent bits. Overwrites `r` and v128 local `k`.
 */
export const expOf = (r: number, k: number): Code => [
  // k = nearest(y / ln 2); r = y − k·LN2_HI − k·LN2_LO
  ...get(r), ...splat(Math.LOG2E), ...simdOp.f32x4Mul, ...simdOp.f32x4Nearest, ...set(k),
  ...get(r), ...get(k), ...splat(LN2_HI), ...simdOp.f32x4Mul, ...simdOp.f32x4Sub,
  ...get(k), ...splat(LN2_LO), ...simdOp.f32x4Mul, ...simdOp.f32x4Sub, ...set(r),
  // e^r · 2^k, 2^k as the bits (k + 127) << 23
  ...splat(1 / 5040), ...horner(r, [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]),
  ...get(k), ...simdOp.i32x4TruncSatF32x4S, ...i32c(127), ...simdOp.i32x4Splat, ...simdOp.i32x4Add,
  ...i32c(23), ...simdOp.i32x4Shl, ...simdOp.f32x4Mul,
];

/** Pushes the f32 sum of v128 local `v`'s lanes, (v₀ + v₁) + (v₂ + v₃). */
export const laneSum = (v: number): Code => [
  ...get(v), ...f32x4ExtractLane(0), ...get(v), ...f32x4ExtractLane(1), op.f32Add,
  ...get(v), ...f32x4ExtractLane(2), ...get(v), ...f32x4ExtractLane(3), op.f32Add, op.f32Add,
];
