/**
 * Add, Sub and Multiply for the wasm backend (float32) where one side is broadcast as a row (a
 * bias: (…, C) ∘ (C)) or as a column (a per-row scalar: (…, C) ∘ (…, 1)), in WebAssembly SIMD
 * (`rowOp` and `columnOp` of heap-routines.ts). tfjs-backend-wasm 4.22 walks a broadcast one
 * float at a time: 40–70 µs for a transformer block's bias adds and LayerNorm's scale, where the
 * same-shape op takes a few µs. One IEEE operation an element, so the results are the same bits.
 * Same-shape operands, rows under four floats, other broadcasts, a broadcast first operand of
 * Sub, and other dtypes go to the original kernels.
 */
import { backend_util, getKernel, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isWasmTensorHeap, wasmByteOffset } from '@learnability/core';
import { BROADCAST_OP } from './heap-routines.js';
import type { HeapRoutines } from './heap-routines.js';
import { isReplaced, replaceKernels } from './replace-kernels.js';

const PATCHED = Symbol.for('learnability.simdBroadcast');

/** How one operand broadcasts against the other, full one: as rows of `cols` or as a column, `rows` × `cols` in all. */
export interface BroadcastPlan {
  pattern: 'row' | 'column';
  /** Which input is the full one (its shape is the output's). */
  full: 0 | 1;
  rows: number;
  cols: number;
  /** The output's shape (the full input's, with any leading axes the broadcast adds). */
  outShape: number[];
}

/** The plan for `a` ∘ `b`, or null when it is not a row or column broadcast with rows of ≥ 4 floats. */
export function broadcastPlan(a: readonly number[], b: readonly number[]): BroadcastPlan | null {
  // Most calls are same-shape (every step's elementwise ops): settled by two sizes, before any shape is built.
  const [sa, sb] = [util.sizeFromShape([...a]), util.sizeFromShape([...b])];
  if (sa === sb) return null;
  const out = backend_util.assertAndGetBroadcastShape([...a], [...b]);
  const so = util.sizeFromShape(out);
  if (so === 0) return null;
  const full: 0 | 1 = sa === so ? 0 : 1;
  const small = full === 0 ? b : a;
  if (util.sizeFromShape([...(full === 0 ? a : b)]) !== so) return null;
  const padded = [...new Array<number>(out.length - small.length).fill(1), ...small];
  const last = out.length - 1;
  const cols = out[last] as number;
  // A column: equal to the output but for a last axis of 1.
  if (padded[last] === 1 && padded.every((d, i) => i === last || d === out[i]))
    return cols >= 4 ? { pattern: 'column', full, rows: so / cols, cols, outShape: out } : null;
  // A row: ones, then the output's trailing axes.
  const first = padded.findIndex((d) => d !== 1);
  if (first >= 0 && padded.every((d, i) => (i < first ? d === 1 : d === out[i]))) {
    const rowSize = util.sizeFromShape(out.slice(first));
    return rowSize >= 4 ? { pattern: 'row', full, rows: so / rowSize, cols: rowSize, outShape: out } : null;
  }
  return null;
}

/** Replaces wasm's Add, Sub and Multiply (float32 row and column broadcasts) with `routines`. Call after the wasm backend is initialised; idempotent. */
export function installSimdBroadcast(backend: unknown, routines: HeapRoutines | null): boolean {
  const originals = ['Add', 'Sub', 'Multiply'].map((name) => getKernel(name, 'wasm'));
  if (originals.some((k) => !k) || !routines || !isWasmTensorHeap(backend)) return false;
  const [add, sub, mul] = originals as [KernelConfig, KernelConfig, KernelConfig];
  if (isReplaced(add, PATCHED)) return true;
  const kernel =
    (original: KernelConfig, op: number, commutes: boolean): KernelFunc =>
    (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const plan = a.dtype === 'float32' && b.dtype === 'float32' ? broadcastPlan(a.shape, b.shape) : null;
      if (plan === null || (plan.full === 1 && !commutes)) return original.kernelFunc(args);
      const [x, v] = plan.full === 0 ? [a, b] : [b, a];
      const w = args.backend;
      if (!isWasmTensorHeap(w)) return original.kernelFunc(args);
      const out = w.makeOutput(plan.outShape, 'float32');
      const apply = plan.pattern === 'row' ? routines.rowOp : routines.columnOp;
      apply(wasmByteOffset(w, x), wasmByteOffset(w, v), wasmByteOffset(w, out), plan.rows, plan.cols, op);
      return out;
    };
  replaceKernels(PATCHED, [
    [add, kernel(add, BROADCAST_OP.add, true)],
    [sub, kernel(sub, BROADCAST_OP.sub, false)],
    [mul, kernel(mul, BROADCAST_OP.mul, true)],
  ]);
  return true;
}
