/**
 * A ready-made WebAssembly SIMD (f32x4) module built with this assembler: two float32 routines
 * over an imported memory (the tfjs-wasm heap, so tensors are read and written in place). Two
 * packages run it, the fused dense training step of `@learnability/dense` and the small matMuls of
 * `@learnability/backends`' wasm BatchMatMul, so it lives here rather than in either.
 *
 * gemm(L, lrs, lred, R, rred, rows, red, cols, Out, ostride, Cin, bias, mask, alpha, beta, relu)
 *   Out[i, j] = act(alpha · Σ_r L[i·lrs + r·lred] · R[r·rred + j]  + beta · Cin[i, j] + bias[j])
 *   then × [mask[i, j] > 0] when mask ≠ 0. Pointers and strides are in bytes; Cin and mask use
 *   Out's row stride; Cin, bias, mask = 0 means absent; act = ReLU when relu ≠ 0.
 *   The left operand is read one scalar at a time (splat) through two strides, so the same
 *   routine computes A·W (forward), Aᵀ·D (weight gradient) and 1ᵀ·D (bias gradient, lrs =
 *   lred = 0 on a cell holding 1). The right operand is read as rows of 4-float vectors.
 *   Register tiles: 4 rows × 8 columns (8 accumulators; `GemmTile`), then 4 and 1 column(s),
 *   then single rows; so any shape works with no padding.
 *
 * transpose(src, srcStride, dst, dstStride, rows, cols, mask)
 *   dst[c, r] = src[r, c] for r < rows, c < cols (× [mask[c, r] > 0] when mask ≠ 0; mask uses
 *   dst's row stride). Strides in bytes, so a block of a larger matrix can be transposed.
 */
import { doWhile, ifThen, whileLoop } from './control.js';
import { bump, F32, f32c, get, I32, i32c, mem, op, set, simdOp, tee, V128 } from './instructions.js';
import type { Code } from './instructions.js';
import { assembleModule } from './module.js';
import type { AsmFunction } from './module.js';

// gemm parameters
const P = { L: 0, lrs: 1, lred: 2, R: 3, rred: 4, rows: 5, red: 6, cols: 7, Out: 8, ostride: 9, Cin: 10, bias: 11, mask: 12, alpha: 13, beta: 14, relu: 15 } as const;

/** The register tile: `rows` output rows × `vecs` 4-float vectors of columns (rows·vecs accumulators). */
export interface GemmTile {
  rows: number;
  vecs: number;
}
/** 4 × 8: 8 accumulators + 2 weight vectors + a splat fit V8's 16 SIMD registers on x64 with room to spare. */
const DEFAULT_TILE: GemmTile = { rows: 4, vecs: 2 };

/** Local indices for a tile: i32 from 16, then v128, then f32. */
function localsFor(t: GemmTile) {
  const i = 16;
  const lp = Array.from({ length: t.rows }, (_, q) => i + 5 + q);
  const v = i + 5 + t.rows; // first v128 local
  const vecLocals = t.rows * t.vecs + t.vecs + 4;
  const f = v + vecLocals; // first f32 local
  return {
    i0: i, j0: i + 1, k: i + 2, rp: i + 3, ob: i + 4, lp,
    acc: (q: number, w: number) => v + q * t.vecs + w,
    W: Array.from({ length: t.vecs }, (_, w) => v + t.rows * t.vecs + w),
    S: v + t.rows * t.vecs + t.vecs, T: v + t.rows * t.vecs + t.vecs + 1, VA: v + t.rows * t.vecs + t.vecs + 2, VB: v + t.rows * t.vecs + t.vecs + 3,
    sacc: (q: number) => f + q, SW: f + t.rows, ST: f + t.rows + 1,
    declared: [[5 + t.rows, I32], [vecLocals, V128], [t.rows + 2, F32]] as [number, number][],
  };
}
type Locals = ReturnType<typeof localsFor>;

/** ob = Out + (i0 + q)·ostride + j0·4 */
const rowPointer = (V: Locals, q: number): Code => [
  ...get(P.Out), ...get(V.i0), ...i32c(q), op.add, ...get(P.ostride), op.mul, op.add, ...get(V.j0), ...i32c(4), op.mul, op.add, ...set(V.ob),
];

/** v128 or f32 (vecs = 0) epilogue for one output row q: scale, + beta·Cin, + bias, ReLU, mask, store. */
function epilogue(V: Locals, q: number, vecs: number): Code {
  const out: Code = [...rowPointer(V, q)];
  const cinAt = [...get(V.ob), ...get(P.Cin), op.add, ...get(P.Out), op.sub];
  const maskAt = [...get(V.ob), ...get(P.mask), op.add, ...get(P.Out), op.sub];
  const biasAt = [...get(P.bias), ...get(V.j0), ...i32c(4), op.mul, op.add];
  if (vecs === 0) {
    out.push(...get(V.sacc(q)), ...get(P.alpha), op.f32Mul, ...set(V.ST));
    out.push(...ifThen(get(P.Cin), [...get(V.ST), ...get(P.beta), ...cinAt, ...mem.f32Load(), op.f32Mul, op.f32Add, ...set(V.ST)]));
    out.push(...ifThen(get(P.bias), [...get(V.ST), ...biasAt, ...mem.f32Load(), op.f32Add, ...set(V.ST)]));
    out.push(...ifThen(get(P.relu), [...get(V.ST), ...f32c(0), op.f32Max, ...set(V.ST)]));
    out.push(...ifThen(get(P.mask), [...get(V.ST), ...f32c(0), ...maskAt, ...mem.f32Load(), ...f32c(0), op.f32Gt, op.select, ...set(V.ST)]));
    out.push(...get(V.ob), ...get(V.ST), ...mem.f32Store());
    return out;
  }
  for (let v = 0; v < vecs; v++) {
    const at = 16 * v;
    out.push(...get(V.acc(q, v)), ...get(V.VA), ...simdOp.f32x4Mul, ...set(V.T));
    out.push(...ifThen(get(P.Cin), [...get(V.T), ...get(V.VB), ...cinAt, ...mem.v128Load(at), ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...set(V.T)]));
    out.push(...ifThen(get(P.bias), [...get(V.T), ...biasAt, ...mem.v128Load(at), ...simdOp.f32x4Add, ...set(V.T)]));
    out.push(...ifThen(get(P.relu), [...get(V.T), ...simdOp.v128Zero, ...simdOp.f32x4Max, ...set(V.T)]));
    // t & (mask > 0): f32x4.gt gives all-ones lanes where mask > 0, v128.and keeps t there.
    out.push(...ifThen(get(P.mask), [...get(V.T), ...maskAt, ...mem.v128Load(at), ...simdOp.v128Zero, ...simdOp.f32x4Gt, ...simdOp.v128And, ...set(V.T)]));
    out.push(...get(V.ob), ...get(V.T), ...mem.v128Store(at));
  }
  return out;
}

/** One register tile: `rows` output rows × `vecs` vectors (0: one scalar column) at (i0, j0). */
function tile(V: Locals, rows: number, vecs: number): Code {
  const qs = [...Array(rows).keys()];
  const vs = [...Array(vecs).keys()];
  const lp = (q: number) => V.lp[q] as number;
  const init: Code = vecs === 0 ? qs.flatMap((q) => [...f32c(0), ...set(V.sacc(q))]) : qs.flatMap((q) => vs.flatMap((v) => [...simdOp.v128Zero, ...set(V.acc(q, v))]));
  const pointers: Code = [
    // lp_q = L + (i0 + q)·lrs;  rp = R + j0·4;  k = red
    ...qs.flatMap((q) => [...get(P.L), ...get(V.i0), ...i32c(q), op.add, ...get(P.lrs), op.mul, op.add, ...set(lp(q))]),
    ...get(P.R), ...get(V.j0), ...i32c(4), op.mul, op.add, ...set(V.rp),
    ...get(P.red), ...set(V.k),
  ];
  const step: Code =
    vecs === 0
      ? [
          ...get(V.rp), ...mem.f32Load(), ...set(V.SW),
          ...qs.flatMap((q) => [...get(V.sacc(q)), ...get(lp(q)), ...mem.f32Load(), ...get(V.SW), op.f32Mul, op.f32Add, ...set(V.sacc(q))]),
        ]
      : [
          ...vs.flatMap((v) => [...get(V.rp), ...mem.v128Load(16 * v), ...set(V.W[v] as number)]),
          ...qs.flatMap((q) => [
            ...get(lp(q)), ...mem.v128Load32Splat(), ...set(V.S),
            ...vs.flatMap((v) => [...get(V.acc(q, v)), ...get(V.S), ...get(V.W[v] as number), ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...set(V.acc(q, v))]),
          ]),
        ];
  const advance: Code = [...qs.flatMap((q) => bump(lp(q), get(P.lred))), ...bump(V.rp, get(P.rred))];
  // do { step; advance } while (--k != 0): k = red ≥ 1 passes
  const loop = doWhile([...step, ...advance], [...get(V.k), ...i32c(1), op.sub, ...tee(V.k)]);
  return [...init, ...pointers, ...loop, ...qs.flatMap((q) => epilogue(V, q, vecs))];
}

/** Every column block of the current row block: 4·vecs columns while they last, then 4, then 1. */
function columns(V: Locals, rows: number, vecs: number): Code {
  const fits = (width: number): Code => [...get(V.j0), ...i32c(width), op.add, ...get(P.cols), op.leS];
  return [
    ...i32c(0), ...set(V.j0),
    ...whileLoop(fits(4 * vecs), [...tile(V, rows, vecs), ...bump(V.j0, i32c(4 * vecs))]),
    ...(vecs > 1 ? whileLoop(fits(4), [...tile(V, rows, 1), ...bump(V.j0, i32c(4))]) : []),
    ...whileLoop(fits(1), [...tile(V, rows, 0), ...bump(V.j0, i32c(1))]),
  ];
}

function gemmFunction(t: GemmTile): AsmFunction {
  const V = localsFor(t);
  const body: Code = [
    ...get(P.alpha), ...simdOp.f32x4Splat, ...set(V.VA),
    ...get(P.beta), ...simdOp.f32x4Splat, ...set(V.VB),
    ...i32c(0), ...set(V.i0),
    ...whileLoop([...get(V.i0), ...i32c(t.rows), op.add, ...get(P.rows), op.leS], [...columns(V, t.rows, t.vecs), ...bump(V.i0, i32c(t.rows))]),
    ...whileLoop([...get(V.i0), ...get(P.rows), op.ltS], [...columns(V, 1, t.vecs), ...bump(V.i0, i32c(1))]),
  ];
  return { name: 'gemm', params: [...new Array<number>(13).fill(I32), F32, F32, I32], locals: V.declared, body };
}

// transpose(src 0, srcStride 1, dst 2, dstStride 3, rows 4, cols 5, mask 6); strides in bytes;
// locals r 7, c 8, at 9 (byte offset of dst[c, r]), value f32 10
const transposeBody: Code = [
  ...i32c(0), ...set(7),
  ...whileLoop([...get(7), ...get(4), op.ltS], [
    ...i32c(0), ...set(8),
    ...whileLoop([...get(8), ...get(5), op.ltS], [
      ...get(8), ...get(3), op.mul, ...get(7), ...i32c(4), op.mul, op.add, ...set(9),
      ...get(0), ...get(7), ...get(1), op.mul, op.add, ...get(8), ...i32c(4), op.mul, op.add, ...mem.f32Load(), ...set(10),
      ...ifThen(get(6), [...get(10), ...f32c(0), ...get(6), ...get(9), op.add, ...mem.f32Load(), ...f32c(0), op.f32Gt, op.select, ...set(10)]),
      ...get(2), ...get(9), op.add, ...get(10), ...mem.f32Store(),
      ...bump(8, i32c(1)),
    ]),
    ...bump(7, i32c(1)),
  ]),
];

const i32s = (n: number) => new Array<number>(n).fill(I32);

/** The module's bytes, importing `env.memory`, shared when the tfjs-wasm heap is (its threaded build). */
export function gemmWasmBytes(sharedMemory: boolean, tile: GemmTile = DEFAULT_TILE): Uint8Array<ArrayBuffer> {
  const functions: AsmFunction[] = [
    gemmFunction(tile),
    { name: 'transpose', params: i32s(7), locals: [[3, I32], [1, F32]], body: transposeBody },
  ];
  return assembleModule(functions, { kind: 'imported', module: 'env', name: 'memory', shared: sharedMemory });
}

/** An instance's two routines (arguments as in this file's header: byte addresses, strides, sizes). */
export interface GemmExports {
  gemm: (...args: number[]) => void;
  transpose: (...args: number[]) => void;
}

/** The exports of an instance of the module, checked. */
export function gemmExports(exports: WebAssembly.Exports): GemmExports {
  const { gemm, transpose } = exports;
  if (typeof gemm !== 'function' || typeof transpose !== 'function')
    throw new Error('gemm module: the WebAssembly instance lacks gemm or transpose');
  return { gemm: gemm as GemmExports['gemm'], transpose: transpose as GemmExports['transpose'] };
}

/** The module compiled for one memory, and its instance on that memory. */
export interface GemmInstance {
  /** For worker threads that instantiate it on the same shared memory. */
  module: WebAssembly.Module;
  exports: GemmExports;
}

const onMemory = new WeakMap<WebAssembly.Memory, Promise<GemmInstance>>();

/**
 * The module instantiated on `memory` (shared or not, as the memory is), once per memory however
 * many packages ask: the fused dense step and the wasm BatchMatMul share one instance on the
 * tfjs-wasm heap. Compiled asynchronously: the module is ≈ 5 KB, over the 4 KB browsers allow
 * `new WebAssembly.Module` on their main thread.
 */
export function gemmOnMemory(memory: WebAssembly.Memory): Promise<GemmInstance> {
  let instance = onMemory.get(memory);
  if (!instance) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    instance = WebAssembly.compile(gemmWasmBytes(shared)).then(async (module) => ({
      module,
      exports: gemmExports((await WebAssembly.instantiate(module, { env: { memory } })).exports),
    }));
    onMemory.set(memory, instance);
  }
  return instance;
}
