/**
 * Float32 maths on f32x4 values in locals, as code to splice into a function: constants in every
 * lane, Horner's rule, e^y for y ≤ 0, tanh, the logistic sigmoid, and the sum of a vector's
 * lanes. WebAssembly SIMD has no fused multiply-add, so every operation rounds once and the
 * results are the same bits on every engine.
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

/** e = e^(−min(|v|, 87)) into v128 local `e`, for v128 local `v` (`r`, `k`: scratch v128 locals). */
export const expMinusAbs = (v: number, r: number, k: number, e: number): Code => [
  ...get(v), ...simdOp.f32x4Abs, ...splat(-EXP_LOWEST), ...simdOp.f32x4Min, ...splat(-1), ...simdOp.f32x4Mul, ...set(r),
  ...expOf(r, k), ...set(e),
];

/**
 * Pushes σ(v) = 1 / (1 + e^(−v)) as (v < 0 ? e : 1) / (1 + e), with `e` from expMinusAbs(v): it
 * neither overflows nor cancels at either end (1 − σ(v) is the same with the branches swapped).
 */
export const sigmoidOf = (v: number, e: number): Code => [
  ...get(e), ...splat(1), ...get(v), ...simdOp.v128Zero, ...simdOp.f32x4Lt, ...simdOp.v128Bitselect,
  ...splat(1), ...get(e), ...simdOp.f32x4Add, ...simdOp.f32x4Div,
];

/** tanh's odd Taylor coefficients of x³ … x¹⁷ (tanh x = x + Σ c·x^(2j+1)). */
const TANH_SERIES = [
  -1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075, -929569 / 638512875, 6404582 / 10854718875,
];
/** Below this |x| the series; at and above it the exponential, where 1 − e^(−2|x|) ≥ 2/3 does not cancel. */
const TANH_SERIES_BELOW = 0.55;

/** The scratch v128 locals tanhOf overwrites. */
export interface TanhScratch {
  a: number;
  z: number;
  k: number;
  r: number;
  e: number;
}

/**
 * Pushes tanh(x) for v128 local `x`, within 1 ulp: for |x| < 0.55 the odd Taylor series to x¹⁷
 * (its next term is below 1e-8 relative there); otherwise (1 − e) / (1 + e) with
 * e = e^(−2·min(|x|, 20)) (expOf); then x's sign bit. NaN stays NaN, ±∞ gives ±1, −0 gives −0.
 */
export const tanhOf = (x: number, { a, z, k, r, e }: TanhScratch): Code => [
  ...get(x), ...simdOp.f32x4Abs, ...set(a),
  // z = a², small = a + a·(z·series(z))
  ...get(a), ...get(a), ...simdOp.f32x4Mul, ...set(z),
  ...splat(TANH_SERIES.at(-1) as number), ...horner(z, TANH_SERIES.slice(0, -1).reverse()),
  ...get(z), ...simdOp.f32x4Mul, ...get(a), ...simdOp.f32x4Mul, ...get(a), ...simdOp.f32x4Add,
  // y = −2·min(a, 20); e = e^y; large = (1 − e) / (1 + e)
  ...get(a), ...splat(20), ...simdOp.f32x4Min, ...splat(-2), ...simdOp.f32x4Mul, ...set(r),
  ...expOf(r, k), ...set(e),
  ...splat(1), ...get(e), ...simdOp.f32x4Sub, ...splat(1), ...get(e), ...simdOp.f32x4Add, ...simdOp.f32x4Div,
  // a < TANH_SERIES_BELOW ? small : large (NaN takes the large path, which keeps it), then x's sign bit
  ...get(a), ...splat(TANH_SERIES_BELOW), ...simdOp.f32x4Lt, ...simdOp.v128Bitselect,
  ...get(x), ...splat(-0), ...simdOp.v128And, ...simdOp.v128Or,
];
