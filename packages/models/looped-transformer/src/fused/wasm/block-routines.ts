/**
 * GELU and LayerNorm, each way, in WebAssembly SIMD over the tfjs-wasm heap (assembled with
 * `@learnability/wasm-asm`, instantiated once per heap): the wasm implementations of
 * block-kernels.ts. Each is one or two passes over its rows where the TF.js ops take 7–13.
 * Pointers and steps are in bytes; lengths and widths in floats. Every operation rounds once
 * (WebAssembly has no fused multiply-add), in the order gelu.ts and layer-norm.ts write the maths.
 *
 * gelu(x, y, n), geluGrad(x, dy, dx, n)
 *   Elementwise over n ≥ 4 floats, four at a time; the last vector ends at n and may overlap the
 *   one before (outputs must not overlap inputs). v = (x·(1 + c·x²))·2√(2/π), c = 0.044715;
 *   with e = e^(−min(|v|, 87)) (wasm-asm's expOf), σ(v) = (v < 0 ? e : 1) / (1 + e) and
 *   σ(v)·(1 − σ(v)) = e / (1 + e)², which neither overflows nor cancels at either end.
 *   y = x·σ(v); ∂L/∂x = dy·(σ(v) + x·σ(v)(1 − σ(v))·(1 + 3c·x²)·2√(2/π)).
 *
 * layerNorm(x, gamma, beta, y, stats, replicas, rows, width, epsilon)
 *   For each replica's `rows` rows of `width` floats (a multiple of 4): μ = Σx / width,
 *   r = 1 / √(Σ(x − μ)² / width + ε), y = ((x − μ)·r)·γ + β, stats ← (μ, r). Sums are four lanes
 *   wide, then (l₀ + l₁) + (l₂ + l₃).
 *
 * layerNormGrad(dy, x, gamma, stats, dx, dgamma, dbeta, replicas, rows, width)
 *   With n = (x − μ)·r and g = dy·γ: dx = r·((g − mean g) − n·mean(g·n)); ∂γ and ∂β are Σ dy·n
 *   and Σ dy over the replica's rows, added row by row in float32.
 */
import { assembleModule, bump, F32, f32c, get, I32, i32c, instancePerMemory, mem, op, overVectors, set, simdOp, V128, whileLoop } from '@learnability/wasm-asm';
import { expMinusAbs, laneSum, sigmoidOf, splat } from '@learnability/wasm-asm/simd-math';
import type { AsmFunction, Code } from '@learnability/wasm-asm';
import { vectorAt, vectorsUpTo } from './routine-code.js';

/** The routines of one instance. */
export interface BlockRoutines {
  gelu(x: number, y: number, n: number): void;
  geluGrad(x: number, dy: number, dx: number, n: number): void;
  layerNorm(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    stats: number,
    replicas: number,
    rows: number,
    width: number,
    epsilon: number,
  ): void;
  layerNormGrad(
    dy: number,
    x: number,
    gamma: number,
    stats: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    replicas: number,
    rows: number,
    width: number,
  ): void;
}

const CUBIC = 0.044715;
const TWO_SQRT_2_OVER_PI = 2 * Math.sqrt(2 / Math.PI);

/** v = (x·(1 + c·x²))·2√(2/π) into local v, from local x. */
const geluArgument = (x: number, v: number): Code => [
  ...get(x), ...get(x), ...simdOp.f32x4Mul, ...splat(CUBIC), ...simdOp.f32x4Mul, ...splat(1), ...simdOp.f32x4Add,
  ...get(x), ...simdOp.f32x4Mul, ...splat(TWO_SQRT_2_OVER_PI), ...simdOp.f32x4Mul, ...set(v),
];

function geluFunction(): AsmFunction {
  // Parameters x 0, y 1, n 2; i32 locals last 3, at 4; v128: xv 5, v 6, r 7, k 8, e 9.
  const [x, y, n, last, at, xv, v, r, k, e] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const one = (offset: Code): Code => [
    ...get(y), ...offset, op.add,
    ...get(x), ...offset, op.add, ...mem.v128Load(0, 2), ...set(xv),
    ...geluArgument(xv, v), ...expMinusAbs(v, r, k, e), ...sigmoidOf(v, e), ...get(xv), ...simdOp.f32x4Mul,
    ...mem.v128Store(0, 2),
  ];
  return { name: 'gelu', params: [I32, I32, I32], locals: [[2, I32], [5, V128]], body: overVectors(n, last, at, one) };
}

function geluGradFunction(): AsmFunction {
  // Parameters x 0, dy 1, dx 2, n 3; i32 locals last 4, at 5; v128: xv 6, v 7, r 8, k 9, e 10, d 11.
  const [x, dy, dx, n, last, at, xv, v, r, k, e, d] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const one = (offset: Code): Code => [
    ...get(dx), ...offset, op.add,
    ...get(x), ...offset, op.add, ...mem.v128Load(0, 2), ...set(xv),
    ...geluArgument(xv, v), ...expMinusAbs(v, r, k, e),
    ...splat(1), ...get(e), ...simdOp.f32x4Add, ...set(d),
    // σ + (x·(e / d²))·((1 + 3c·x²)·2√(2/π))
    ...sigmoidOf(v, e),
    ...get(xv), ...get(e), ...get(d), ...get(d), ...simdOp.f32x4Mul, ...simdOp.f32x4Div, ...simdOp.f32x4Mul,
    ...get(xv), ...get(xv), ...simdOp.f32x4Mul, ...splat(3 * CUBIC), ...simdOp.f32x4Mul, ...splat(1),
    ...simdOp.f32x4Add, ...splat(TWO_SQRT_2_OVER_PI), ...simdOp.f32x4Mul,
    ...simdOp.f32x4Mul, ...simdOp.f32x4Add,
    ...get(dy), ...offset, op.add, ...mem.v128Load(0, 2), ...simdOp.f32x4Mul,
    ...mem.v128Store(0, 2),
  ];
  return {
    name: 'geluGrad',
    params: [I32, I32, I32, I32],
    locals: [[2, I32], [6, V128]],
    body: overVectors(n, last, at, one),
  };
}

/** Pushes (x − μ)·r for the vector of x at j. */
const normed = (x: number, j: number, mu: number, rv: number): Code => [
  ...vectorAt(x, j), ...get(mu), ...simdOp.f32x4Sub, ...get(rv), ...simdOp.f32x4Mul,
];

function layerNormFunction(): AsmFunction {
  // Parameters x 0, gamma 1, beta 2, y 3, stats 4, replicas 5, rows 6, width 7, epsilon 8 (f32);
  // i32 locals rowBytes 9, j 10, row 11; f32: mean 12, rstd 13; v128: acc 14, mu 15, rv 16, t 17.
  const [x, gamma, beta, y, stats, replicas, rows, width, epsilon] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [rowBytes, j, row, mean, rstd, acc, mu, rv, t] = [9, 10, 11, 12, 13, 14, 15, 16, 17];
  const perRow: Code = [
    // μ = Σx / width
    ...simdOp.v128Zero, ...set(acc),
    ...vectorsUpTo(j, rowBytes, [...get(acc), ...vectorAt(x, j), ...simdOp.f32x4Add, ...set(acc)]),
    ...laneSum(acc), ...get(width), op.f32ConvertI32S, op.f32Div, ...set(mean),
    ...get(mean), ...simdOp.f32x4Splat, ...set(mu),
    // r = 1 / √(Σ(x − μ)² / width + ε)
    ...simdOp.v128Zero, ...set(acc),
    ...vectorsUpTo(j, rowBytes, [
      ...vectorAt(x, j), ...get(mu), ...simdOp.f32x4Sub, ...set(t),
      ...get(acc), ...get(t), ...get(t), ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...set(acc),
    ]),
    ...f32c(1), ...laneSum(acc), ...get(width), op.f32ConvertI32S, op.f32Div, ...get(epsilon), op.f32Add, op.f32Sqrt,
    op.f32Div, ...set(rstd),
    ...get(rstd), ...simdOp.f32x4Splat, ...set(rv),
    // y = ((x − μ)·r)·γ + β
    ...vectorsUpTo(j, rowBytes, [
      ...get(y), ...get(j), op.add,
      ...normed(x, j, mu, rv), ...vectorAt(gamma, j), ...simdOp.f32x4Mul, ...vectorAt(beta, j), ...simdOp.f32x4Add,
      ...mem.v128Store(0, 2),
    ]),
    ...get(stats), ...get(mean), ...mem.f32Store(), ...get(stats), ...get(rstd), ...mem.f32Store(4),
    ...bump(stats, i32c(8)), ...bump(x, get(rowBytes)), ...bump(y, get(rowBytes)),
  ];
  const body: Code = [
    ...get(width), ...i32c(4), op.mul, ...set(rowBytes),
    ...whileLoop(get(replicas), [
      ...get(rows), ...set(row),
      ...whileLoop(get(row), [...perRow, ...bump(row, i32c(-1))]),
      ...bump(gamma, get(rowBytes)), ...bump(beta, get(rowBytes)), ...bump(replicas, i32c(-1)),
    ]),
  ];
  return {
    name: 'layerNorm',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F32],
    locals: [[3, I32], [2, F32], [4, V128]],
    body,
  };
}

function layerNormGradFunction(): AsmFunction {
  // Parameters dy 0, x 1, gamma 2, stats 3, dx 4, dgamma 5, dbeta 6, replicas 7, rows 8, width 9;
  // i32 locals rowBytes 10, j 11, row 12; v128: mu 13, rv 14, n 15, g 16, accG 17, accGn 18, dyv 19.
  const [dy, x, gamma, stats, dx, dgamma, dbeta, replicas, rows, width] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [rowBytes, j, row, mu, rv, n, g, accG, accGn, dyv] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const meanOf = (acc: number): Code => [
    ...laneSum(acc), ...get(width), op.f32ConvertI32S, op.f32Div, ...simdOp.f32x4Splat,
  ];
  /** n and g of the vector at j into their locals. */
  const nAndG: Code = [
    ...normed(x, j, mu, rv), ...set(n),
    ...get(dyv), ...vectorAt(gamma, j), ...simdOp.f32x4Mul, ...set(g),
  ];
  /** local[base + j] += value (pushed by `value`). */
  const addInto = (base: number, value: Code): Code => [
    ...get(base), ...get(j), op.add, ...vectorAt(base, j), ...value, ...simdOp.f32x4Add, ...mem.v128Store(0, 2),
  ];
  const perRow: Code = [
    ...get(stats), ...mem.v128Load32Splat(), ...set(mu), ...get(stats), ...mem.v128Load32Splat(4), ...set(rv),
    ...simdOp.v128Zero, ...set(accG), ...simdOp.v128Zero, ...set(accGn),
    ...vectorsUpTo(j, rowBytes, [
      ...vectorAt(dy, j), ...set(dyv), ...nAndG,
      ...get(accG), ...get(g), ...simdOp.f32x4Add, ...set(accG),
      ...get(accGn), ...get(g), ...get(n), ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...set(accGn),
      ...addInto(dgamma, [...get(dyv), ...get(n), ...simdOp.f32x4Mul]),
      ...addInto(dbeta, get(dyv)),
    ]),
    // accG, accGn ← mean g, mean(g·n) in every lane
    ...meanOf(accG), ...set(accG), ...meanOf(accGn), ...set(accGn),
    // dx = r·((g − mean g) − n·mean(g·n))
    ...vectorsUpTo(j, rowBytes, [
      ...vectorAt(dy, j), ...set(dyv), ...nAndG,
      ...get(dx), ...get(j), op.add,
      ...get(rv), ...get(g), ...get(accG), ...simdOp.f32x4Sub, ...get(n), ...get(accGn), ...simdOp.f32x4Mul,
      ...simdOp.f32x4Sub, ...simdOp.f32x4Mul,
      ...mem.v128Store(0, 2),
    ]),
    ...bump(stats, i32c(8)), ...bump(dy, get(rowBytes)), ...bump(x, get(rowBytes)), ...bump(dx, get(rowBytes)),
  ];
  const body: Code = [
    ...get(width), ...i32c(4), op.mul, ...set(rowBytes),
    ...whileLoop(get(replicas), [
      ...vectorsUpTo(j, rowBytes, [
        ...get(dgamma), ...get(j), op.add, ...simdOp.v128Zero, ...mem.v128Store(0, 2),
        ...get(dbeta), ...get(j), op.add, ...simdOp.v128Zero, ...mem.v128Store(0, 2),
      ]),
      ...get(rows), ...set(row),
      ...whileLoop(get(row), [...perRow, ...bump(row, i32c(-1))]),
      ...bump(gamma, get(rowBytes)), ...bump(dgamma, get(rowBytes)), ...bump(dbeta, get(rowBytes)),
      ...bump(replicas, i32c(-1)),
    ]),
  ];
  return {
    name: 'layerNormGrad',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [[3, I32], [7, V128]],
    body,
  };
}

/** The module's bytes, importing `env.memory` (shared for the threaded tfjs-wasm build's heap). */
export function blockRoutinesBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const functions = [geluFunction(), geluGradFunction(), layerNormFunction(), layerNormGradFunction()];
  return assembleModule(functions, { kind: 'imported', module: 'env', name: 'memory', shared: sharedMemory });
}

/** The routines on `memory`, compiled and instantiated once per memory. */
export const blockRoutinesOn = instancePerMemory<BlockRoutines>(blockRoutinesBytes);
