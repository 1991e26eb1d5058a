/**
 * What the fused unroll (unroll-kernels.ts) needs besides wasm-asm's gemm and the gate routines,
 * in WebAssembly SIMD over the tfjs-wasm heap (assembled with `@learnability/wasm-asm`,
 * instantiated once per heap). Pointers are in bytes.
 *
 * im2col(x, col, images, H, W, C, kh, kw, flip)
 *   The windows of a 'same'-padded, stride-1 kh×kw convolution (odd sides) side by side:
 *   x (images, H, W, C) → col (images·H·W, kh·kw·C), channels last, C a multiple of 4:
 *   col[(b, i, j), (di, dj), :] = x[b, i + σ(di − p), j + σ(dj − q), :], zeros outside the grid,
 *   p = (kh − 1)/2, q = (kw − 1)/2, σ = +1 for flip = 0 and −1 for flip = 1. Unflipped, col · W is the
 *   convolution with W (kh·kw·C, Cout); flipped, col · Wᵀ (each tap's C × Cout block transposed) is
 *   the convolution's input gradient when x is ∂y.
 *
 * accumulate(dst, src, floats)
 *   dst[i] += src[i] for the `floats` floats (a multiple of 4) at each address.
 */
import { assembleModule, bump, forUpTo, get, I32, i32c, ifElse, instancePerMemory, mem, op, set, simdOp, V128, whileLoop } from '@learnability/wasm-asm';
import { splat } from '@learnability/wasm-asm/simd-math';
import type { AsmFunction, Code } from '@learnability/wasm-asm';

/** The routines of one instance. */
export interface UnrollRoutines {
  im2col(x: number, col: number, images: number, H: number, W: number, C: number, kh: number, kw: number, flip: number): void;
  accumulate(dst: number, src: number, floats: number): void;
}

/** `body` for local `i` = 0, 1, …, up to the value of local `end` (exclusive). */
const forEach = (i: number, end: number, body: Code): Code => forUpTo(i, end, 1, body);

function im2colFunction(): AsmFunction {
  // Parameters x 0, col 1, images 2, H 3, W 4, C 5, kh 6, kw 7, flip 8; i32 locals rowBytes 9,
  // b 10, i 11, j 12, di 13, dj 14, si 15, sj 16, sgn 17, at 18, p 19, q 20, src 21; v128 zero 22.
  const [x, col, images, H, W, C, kh, kw, flip] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [rowBytes, b, i, j, di, dj, si, sj, sgn, at, p, q, src, zero] = [
    9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
  ];
  /** local `to` = local `from` + sgn·(local `tap` − local `half`) */
  const shifted = (to: number, from: number, tap: number, half: number): Code => [
    ...get(from), ...get(sgn), ...get(tap), ...get(half), op.sub, op.mul, op.add, ...set(to),
  ];
  const overRow = (store: Code): Code => [
    ...i32c(0), ...set(at),
    ...whileLoop([...get(at), ...get(rowBytes), op.ltS], [...get(col), ...get(at), op.add, ...store, ...bump(at, i32c(16))]),
  ];
  const copy = overRow([...get(src), ...get(at), op.add, ...mem.v128Load(0, 2), ...mem.v128Store(0, 2)]);
  const clear = overRow([...get(zero), ...mem.v128Store(0, 2)]);
  // src = x + ((b·H + si)·W + sj)·rowBytes
  const source: Code = [
    ...get(x), ...get(b), ...get(H), op.mul, ...get(si), op.add, ...get(W), op.mul, ...get(sj), op.add,
    ...get(rowBytes), op.mul, op.add, ...set(src),
  ];
  // Unsigned: a row or column left of the grid is negative, so above H or W.
  const inside: Code = [...get(si), ...get(H), op.ltU, ...get(sj), ...get(W), op.ltU, op.and];
  const tap: Code = [
    ...shifted(sj, j, dj, q),
    ...ifElse(inside, [...source, ...copy], clear),
    ...bump(col, get(rowBytes)),
  ];
  const cell = forEach(di, kh, [...shifted(si, i, di, p), ...forEach(dj, kw, tap)]);
  return {
    name: 'im2col',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [[13, I32], [1, V128]],
    body: [
      ...get(C), ...i32c(4), op.mul, ...set(rowBytes),
      ...i32c(1), ...get(flip), ...i32c(2), op.mul, op.sub, ...set(sgn),
      ...get(kh), ...i32c(1), op.sub, ...i32c(1), op.shrU, ...set(p),
      ...get(kw), ...i32c(1), op.sub, ...i32c(1), op.shrU, ...set(q),
      ...splat(0), ...set(zero),
      ...forEach(b, images, forEach(i, H, forEach(j, W, cell))),
    ],
  };
}

function accumulateFunction(): AsmFunction {
  // Parameters dst 0, src 1, floats 2; i32 local end 3.
  const [dst, src, floats, end] = [0, 1, 2, 3];
  return {
    name: 'accumulate',
    params: [I32, I32, I32],
    locals: [[1, I32]],
    body: [
      ...get(dst), ...get(floats), ...i32c(4), op.mul, op.add, ...set(end),
      ...whileLoop([...get(dst), ...get(end), op.ltU], [
        ...get(dst), ...get(dst), ...mem.v128Load(0, 2), ...get(src), ...mem.v128Load(0, 2), ...simdOp.f32x4Add,
        ...mem.v128Store(0, 2),
        ...bump(dst, i32c(16)), ...bump(src, i32c(16)),
      ]),
    ],
  };
}

/** The module's bytes, importing `env.memory` (shared for the threaded tfjs-wasm build's heap). */
export function unrollRoutinesBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return assembleModule([im2colFunction(), accumulateFunction()], { kind: 'imported', module: 'env', name: 'memory', shared: sharedMemory });
}

/** The routines on `memory`, compiled and instantiated once per memory. */
export const unrollRoutinesOn = instancePerMemory<UnrollRoutines>(unrollRoutinesBytes);
