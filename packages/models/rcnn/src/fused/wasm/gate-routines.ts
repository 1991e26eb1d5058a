/**
 * The gated update each way in WebAssembly SIMD over the tfjs-wasm heap (assembled with
 * `@learnability/wasm-asm`, instantiated once per heap): the wasm implementations of
 * gated-update.ts's kernels, one pass over the state where the TF.js ops take 6 forward and
 * about 12 back. Pointers are in bytes; `cells` counts the state's rows of `channels` floats
 * (a multiple of 4), z's rows are twice as long: a in the first half, z_u in the second.
 *
 * gatedUpdate(s, z, out, u, t, cells, channels)
 *   u = σ(z_u), t = tanh(a), out = s + u·(t − s), in that order of operations (as the TF.js ops
 *   compute it); u and t are written for the gradient. σ and tanh are wasm-asm's sigmoidOf
 *   (within 2 ulps) and tanhOf (within 1 ulp).
 *
 * gatedUpdateGrad(s, u, t, dy, ds, dz, cells, channels)
 *   d = dy·u; ds = dy − d; ∂a = d·(1 − t·t); ∂z_u = (dy·(t − s))·(u·(1 − u)), as the ops' tape
 *   computes them.
 */
import { assembleModule, bump, get, I32, i32c, instancePerMemory, mem, op, set, simdOp, tee, V128, whileLoop } from '@learnability/wasm-asm';
import { expMinusAbs, sigmoidOf, splat, tanhOf } from '@learnability/wasm-asm/simd-math';
import type { AsmFunction, Code } from '@learnability/wasm-asm';

/** The routines of one instance. */
export interface GateRoutines {
  gatedUpdate(s: number, z: number, out: number, u: number, t: number, cells: number, channels: number): void;
  gatedUpdateGrad(s: number, u: number, t: number, dy: number, ds: number, dz: number, cells: number, channels: number): void;
}

/** Pushes the f32x4 at local `base` + local `at` (+ local `plus`, when given). */
const load = (base: number, at: number, plus?: number): Code => [
  ...get(base), ...get(at), op.add, ...(plus === undefined ? [] : [...get(plus), op.add]), ...mem.v128Load(0, 2),
];
/** Pushes the address local `base` + local `at` (+ local `plus`), for a store after the value. */
const address = (base: number, at: number, plus?: number): Code => [
  ...get(base), ...get(at), op.add, ...(plus === undefined ? [] : [...get(plus), op.add]),
];

/**
 * For each of `cells` rows: `body` at every 16 bytes `at` of the row's `rowBytes`, then `advance`
 * (which moves the row pointers). Decrements `cells` to 0.
 */
const overCells = (cells: number, at: number, rowBytes: number, body: Code, advance: Code): Code =>
  whileLoop(get(cells), [
    ...i32c(0), ...set(at),
    ...whileLoop([...get(at), ...get(rowBytes), op.ltS], [...body, ...bump(at, i32c(16))]),
    ...advance, ...bump(cells, i32c(-1)),
  ]);

function gatedUpdateFunction(): AsmFunction {
  // Parameters s 0, z 1, out 2, u 3, t 4, cells 5, channels 6; i32 locals rowBytes 7, at 8;
  // v128: x 9, uv 10, a 11, zz 12, k 13, r 14, e 15, sv 16, tv 17.
  const [s, z, out, u, t, cells, channels, rowBytes, at, x, uv, a, zz, k, r, e, sv, tv] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
  ];
  const body: Code = [
    // u = σ(z_u), t = tanh(a), both kept
    ...load(z, at, rowBytes), ...set(x), ...expMinusAbs(x, r, k, e),
    ...address(u, at), ...sigmoidOf(x, e), ...tee(uv), ...mem.v128Store(0, 2),
    ...load(z, at), ...set(x),
    ...address(t, at), ...tanhOf(x, { a, z: zz, k, r, e }), ...tee(tv), ...mem.v128Store(0, 2),
    // s + u·(t − s)
    ...address(out, at),
    ...load(s, at), ...set(sv),
    ...get(tv), ...get(sv), ...simdOp.f32x4Sub, ...get(uv), ...simdOp.f32x4Mul, ...get(sv), ...simdOp.f32x4Add,
    ...mem.v128Store(0, 2),
  ];
  const advance: Code = [
    ...bump(s, get(rowBytes)), ...bump(out, get(rowBytes)), ...bump(u, get(rowBytes)), ...bump(t, get(rowBytes)),
    ...bump(z, get(rowBytes)), ...bump(z, get(rowBytes)),
  ];
  return {
    name: 'gatedUpdate',
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [[2, I32], [9, V128]],
    body: [...get(channels), ...i32c(4), op.mul, ...set(rowBytes), ...overCells(cells, at, rowBytes, body, advance)],
  };
}

function gatedUpdateGradFunction(): AsmFunction {
  // Parameters s 0, u 1, t 2, dy 3, ds 4, dz 5, cells 6, channels 7; i32 locals rowBytes 8, at 9;
  // v128: uv 10, tv 11, g 12 (dy), d 13 (dy·u).
  const [s, u, t, dy, ds, dz, cells, channels, rowBytes, at, uv, tv, g, d] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const body: Code = [
    ...load(u, at), ...set(uv), ...load(t, at), ...set(tv),
    ...load(dy, at), ...tee(g), ...get(uv), ...simdOp.f32x4Mul, ...set(d),
    // ds = dy − d
    ...address(ds, at), ...get(g), ...get(d), ...simdOp.f32x4Sub, ...mem.v128Store(0, 2),
    // ∂a = d·(1 − t·t)
    ...address(dz, at), ...get(d), ...splat(1), ...get(tv), ...get(tv), ...simdOp.f32x4Mul, ...simdOp.f32x4Sub,
    ...simdOp.f32x4Mul, ...mem.v128Store(0, 2),
    // ∂z_u = (dy·(t − s))·(u·(1 − u))
    ...address(dz, at, rowBytes), ...get(g), ...get(tv), ...load(s, at), ...simdOp.f32x4Sub, ...simdOp.f32x4Mul,
    ...get(uv), ...splat(1), ...get(uv), ...simdOp.f32x4Sub, ...simdOp.f32x4Mul, ...simdOp.f32x4Mul,
    ...mem.v128Store(0, 2),
  ];
  const advance: Code = [
    ...bump(s, get(rowBytes)), ...bump(u, get(rowBytes)), ...bump(t, get(rowBytes)), ...bump(dy, get(rowBytes)),
    ...bump(ds, get(rowBytes)), ...bump(dz, get(rowBytes)), ...bump(dz, get(rowBytes)),
  ];
  return {
    name: 'gatedUpdateGrad',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [[2, I32], [4, V128]],
    body: [...get(channels), ...i32c(4), op.mul, ...set(rowBytes), ...overCells(cells, at, rowBytes, body, advance)],
  };
}

/** The module's bytes, importing `env.memory` (shared for the threaded tfjs-wasm build's heap). */
export function gateRoutinesBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return assembleModule([gatedUpdateFunction(), gatedUpdateGradFunction()], {
    kind: 'imported',
    module: 'env',
    name: 'memory',
    shared: sharedMemory,
  });
}

/** The routines on `memory`, compiled and instantiated once per memory. */
export const gateRoutinesOn = instancePerMemory<GateRoutines>(gateRoutinesBytes);
