/**
 * Sum for the wasm backend over a run of axes with at least four floats inside them, in
 * WebAssembly SIMD (`sumRows` of heap-routines.ts): x viewed as (outer, rows, cols), the rows
 * summed. tfjs-backend-wasm 4.22 transposes the reduced axes to the end first and then adds one
 * float at a time: 540 µs for the bias gradient of the looped transformer's (1, 1152, 128) MLP
 * activation, summed over its middle axis. The rows are added in the same order, so the sums are
 * the same bits as tfjs-wasm's (sum.test.ts). Reductions over the innermost axes (no transpose there),
 * over axes that are not adjacent (size-1 axes between them aside), of fewer than four columns, or
 * of other dtypes go to the original kernel.
 */
import { backend_util, getKernel, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isWasmTensorHeap, wasmByteOffset } from '@learnability/core';
import type { HeapRoutines } from './heap-routines.js';
import { isReplaced, replaceKernels } from './replace-kernels.js';

const PATCHED = Symbol.for('learnability.simdSum');

/**
 * x's shape as (outer, rows, cols) with `axes` (sorted) the rows, or null unless they are adjacent
 * once axes of size 1 between them are counted in (summing over one changes no value or layout:
 * the bias gradient of a (T, 1, B, n) activation, axes 0 and 2, is rows of n).
 */
export function rowsView(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  const [first, last] = [axes[0], axes[axes.length - 1]];
  if (first === undefined || last === undefined) return null;
  for (let a = first; a <= last; a++) if (!axes.includes(a) && shape[a] !== 1) return null;
  const product = (from: number, to: number) => util.sizeFromShape(shape.slice(from, to));
  return [product(0, first), product(first, last + 1), product(last + 1, shape.length)];
}

/** Replaces wasm's Sum (float32, axes adjacent as `rowsView` sees them, ≥ 4 columns inside them) with `routines.sumRows`. Call after the wasm backend is initialised; idempotent. */
export function installSimdSum(backend: unknown, routines: HeapRoutines | null): boolean {
  const sum = getKernel('Sum', 'wasm');
  if (!sum || !routines || !isWasmTensorHeap(backend)) return false;
  if (isReplaced(sum, PATCHED)) return true;
  const sumFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const view = rowsView(x.shape, axes);
    if (x.dtype !== 'float32' || view === null || view[2] < 4) return sum.kernelFunc(args);
    const [outer, rows, cols] = view;
    const [kept] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const w = args.backend;
    if (!isWasmTensorHeap(w)) return sum.kernelFunc(args);
    const out = w.makeOutput(keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept, 'float32');
    if (outer > 0) routines.sumRows(wasmByteOffset(w, x), wasmByteOffset(w, out), outer, rows, cols);
    return out;
  };
  replaceKernels(PATCHED, [[sum, sumFunc]]);
  return true;
}
