/**
 * Float32 routines in WebAssembly SIMD over the tfjs-wasm heap, assembled with
 * `@learnability/wasm-asm` and instantiated once per heap: `tanh` for the Tanh kernel (tanh.ts),
 * `copyRuns` for the heap copies (heap-copies.ts), `sumRows` for Sum over leading or middle axes
 * (sum.ts), `rowOp` and `columnOp` for Add, Sub and Multiply with a broadcast row or column
 * (broadcast.ts). Each replaces a scalar loop: tfjs-wasm 4.22's Tanh calls libm's tanhf one float at a
 * time (14–23 ns a float here), a copy loop in JavaScript moves about one float in 2 ns, and
 * tfjs-wasm sums over a leading axis by transposing first (3 ns a float) and then adding one float
 * at a time, and its broadcasting binary ops walk the output one float at a time. Pointers, steps
 * and lengths are in bytes.
 *
 * tanh(src, dst, n)
 *   dst[i] = tanh(src[i]) for i < n, n ≥ 4, four lanes at a time; the last vector ends at n and
 *   may overlap the one before it (src and dst must not overlap); wasm-asm's `tanhOf`: the odd
 *   Taylor series for |x| < 0.55, else (1 − e) / (1 + e) with e = e^(−2|x|) by `expOf`
 *   (Cody–Waite reduction, a degree-7 polynomial, 2^k in the exponent bits), and x's sign.
 *   NaN stays NaN, ±∞ gives ±1, −0 gives −0. Within 1 ulp of tanh (tanh.test.ts).
 *
 * copyRuns(src, srcStep, dst, dstStep, count, bytes)
 *   count runs of `bytes` (a multiple of 4): run c goes from src + c·srcStep to dst + c·dstStep,
 *   16 bytes at a time, then 4.
 *
 * sumRows(src, dst, outer, rows, cols)
 *   dst[a, j] = Σ_i src[a, i, j] over i < rows (row by row, in float32), for a < outer and
 *   j < cols, cols ≥ 4: four columns at a time, the last four ending at cols (overlapping the
 *   group before; a column's sum is the same whichever group computes it).
 *
 * rowOp(src, vec, dst, rows, cols, op), columnOp(src, vec, dst, rows, cols, op)
 *   dst[i, j] = src[i, j] ∘ vec[j] (rowOp: a bias) or src[i, j] ∘ vec[i] (columnOp: a per-row
 *   scalar), ∘ = + − × for op 0, 1, 2 (BROADCAST_OP), cols ≥ 4, four columns at a time with the
 *   last group ending at cols. One IEEE operation an element: the same bits as any other order.
 */
import { assembleModule, bump, get, I32, i32c, ifElse, instancePerMemory, mem, op, set, simdOp, V128, whileLoop } from '@learnability/wasm-asm';
import { tanhOf } from '@learnability/wasm-asm/simd-math';
import type { AsmFunction, Code } from '@learnability/wasm-asm';

/** The routines of one instance. */
export interface HeapRoutines {
  tanh(src: number, dst: number, n: number): void;
  copyRuns(src: number, srcStep: number, dst: number, dstStep: number, count: number, bytes: number): void;
  sumRows(src: number, dst: number, outer: number, rows: number, cols: number): void;
  rowOp(src: number, vec: number, dst: number, rows: number, cols: number, op: number): void;
  columnOp(src: number, vec: number, dst: number, rows: number, cols: number, op: number): void;
}

/** The `op` argument of rowOp and columnOp. */
export const BROADCAST_OP = { add: 0, sub: 1, mul: 2 } as const;

function tanhFunction(): AsmFunction {
  // Parameters src 0, dst 1, n 2; i32 locals: last 3 (byte offset of the last vector), at 4;
  // v128: x 5, a 6 (|x|), z 7, k 8, r 9, e 10. Both paths run on |x|; x's sign bit goes on last.
  const [src, dst, n, last, at, x, a, z, k, r, e] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const vector: Code = tanhOf(x, { a, z, k, r, e });
  const one = (offset: Code): Code => [
    ...get(src), ...offset, op.add, ...mem.v128Load(), ...set(x),
    ...get(dst), ...offset, op.add, ...vector, ...mem.v128Store(),
  ];
  const body: Code = [
    ...get(n), ...i32c(4), op.mul, ...i32c(16), op.sub, ...set(last),
    ...whileLoop([...get(at), ...get(last), op.ltS], [...one(get(at)), ...bump(at, i32c(16))]),
    ...one(get(last)),
  ];
  return { name: 'tanh', params: [I32, I32, I32], locals: [[2, I32], [6, V128]], body };
}

function copyRunsFunction(): AsmFunction {
  // Parameters src 0, srcStep 1, dst 2, dstStep 3, count 4, bytes 5; i32 local k 6 (byte in the run).
  const [src, srcStep, dst, dstStep, count, bytes, k] = [0, 1, 2, 3, 4, 5, 6];
  const move = (load: Code, store: Code): Code => [
    ...get(dst), ...get(k), op.add, ...get(src), ...get(k), op.add, ...load, ...store,
  ];
  const body: Code = whileLoop(get(count), [
    ...i32c(0), ...set(k),
    ...whileLoop([...get(k), ...i32c(16), op.add, ...get(bytes), op.leS], [
      ...move(mem.v128Load(0, 0), mem.v128Store(0, 0)), ...bump(k, i32c(16)),
    ]),
    ...whileLoop([...get(k), ...get(bytes), op.ltS], [...move(mem.f32Load(), mem.f32Store()), ...bump(k, i32c(4))]),
    ...bump(src, get(srcStep)), ...bump(dst, get(dstStep)), ...bump(count, i32c(-1)),
  ]);
  return { name: 'copyRuns', params: [I32, I32, I32, I32, I32, I32], locals: [[1, I32]], body };
}

function sumRowsFunction(): AsmFunction {
  // Parameters src 0, dst 1, outer 2, rows 3, cols 4; i32 locals: rowBytes 5, last 6 (byte offset of
  // the last column group), at 7, p 8, r 9; v128: acc 10.
  const [src, dst, outer, rows, cols, rowBytes, last, at, p, r, acc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // acc = Σ_i src[i, at…at+3]; dst[at…at+3] = acc
  const group = (offset: Code): Code => [
    ...simdOp.v128Zero, ...set(acc), ...get(src), ...offset, op.add, ...set(p), ...get(rows), ...set(r),
    ...whileLoop(get(r), [
      ...get(acc), ...get(p), ...mem.v128Load(0, 2), ...simdOp.f32x4Add, ...set(acc),
      ...bump(p, get(rowBytes)), ...bump(r, i32c(-1)),
    ]),
    ...get(dst), ...offset, op.add, ...get(acc), ...mem.v128Store(0, 2),
  ];
  const body: Code = [
    ...get(cols), ...i32c(4), op.mul, ...set(rowBytes), ...get(rowBytes), ...i32c(16), op.sub, ...set(last),
    ...whileLoop(get(outer), [
      ...i32c(0), ...set(at),
      ...whileLoop([...get(at), ...get(last), op.ltS], [...group(get(at)), ...bump(at, i32c(16))]),
      ...group(get(last)),
      // next block: src += rows·rowBytes, dst += rowBytes
      ...get(src), ...get(rows), ...get(rowBytes), op.mul, op.add, ...set(src),
      ...bump(dst, get(rowBytes)), ...bump(outer, i32c(-1)),
    ]),
  ];
  return { name: 'sumRows', params: [I32, I32, I32, I32, I32], locals: [[5, I32], [1, V128]], body };
}

/**
 * rowOp or columnOp: for each row, dst = src ∘ operand over its cols, four columns at a time, the
 * last group ending at cols; `operand(offset)` pushes the other side's vector for a group.
 */
function broadcastFunction(name: string, column: boolean): AsmFunction {
  // Parameters src 0, vec 1, dst 2, rows 3, cols 4, op 5; i32 locals: rowBytes 6, last 7, at 8; v128: b 9.
  const [src, vec, dst, rows, cols, opArg, rowBytes, last, at, b] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const operand = (offset: Code): Code => (column ? get(b) : [...get(vec), ...offset, op.add, ...mem.v128Load(0, 2)]);
  const rowsWith = (apply: Code): Code => {
    const group = (offset: Code): Code => [
      ...get(dst), ...offset, op.add,
      ...get(src), ...offset, op.add, ...mem.v128Load(0, 2), ...operand(offset), ...apply,
      ...mem.v128Store(0, 2),
    ];
    return whileLoop(get(rows), [
      // columnOp: the row's scalar in all four lanes, then the next one
      ...(column ? [...get(vec), ...mem.v128Load32Splat(), ...set(b), ...bump(vec, i32c(4))] : []),
      ...i32c(0), ...set(at),
      ...whileLoop([...get(at), ...get(last), op.ltS], [...group(get(at)), ...bump(at, i32c(16))]),
      ...group(get(last)),
      ...bump(src, get(rowBytes)), ...bump(dst, get(rowBytes)), ...bump(rows, i32c(-1)),
    ]);
  };
  const body: Code = [
    ...get(cols), ...i32c(4), op.mul, ...set(rowBytes), ...get(rowBytes), ...i32c(16), op.sub, ...set(last),
    ...ifElse([...get(opArg), ...i32c(BROADCAST_OP.add), op.eq], rowsWith(simdOp.f32x4Add),
      ifElse([...get(opArg), ...i32c(BROADCAST_OP.sub), op.eq], rowsWith(simdOp.f32x4Sub), rowsWith(simdOp.f32x4Mul))),
  ];
  return { name, params: [I32, I32, I32, I32, I32, I32], locals: [[3, I32], [1, V128]], body };
}

/** The module's bytes, importing `env.memory` (shared for the threaded tfjs-wasm build's heap). */
export function heapRoutinesBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return assembleModule([tanhFunction(), copyRunsFunction(), sumRowsFunction(), broadcastFunction('rowOp', false), broadcastFunction('columnOp', true)], {
    kind: 'imported',
    module: 'env',
    name: 'memory',
    shared: sharedMemory,
  });
}

/** The routines on `memory`, compiled and instantiated once per memory. */
export const heapRoutinesOn = instancePerMemory<HeapRoutines>(heapRoutinesBytes);
