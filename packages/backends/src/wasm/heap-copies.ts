/**
 * Slice, SplitV, Unpack, Concat, PadV2, Tile and Transpose for the wasm backend as copies within
 * the wasm heap.
 *
 * tfjs-backend-wasm 4.22 slices in JavaScript: it first copies the whole input out of the heap
 * (`readSync`), then copies each row through a fresh `subarray`. For attention's split of q, k and
 * v, (R·B·T, 3D) into three (R·B·T, D), that is the input copied three times and one typed-array
 * view allocated per row; its Concat (the gradient of a split, and the RCNN's re-injected input)
 * allocates a view per row and input too, and its PadV2 (the gradient of a slice) runs a generic
 * C++ loop. Its Unpack (`tf.unstack`, an RNN's inputs step by step) slices once per output, each
 * time copying the whole input out of the heap: 79 ms for a (100, 1, 50, 64) sequence. Its Tile
 * (also `tf.broadcastTo`'s) walks the output one float at a time: 18 ms to repeat the main job's
 * 2,000 test rows for 4 replicas, which a concatenation does in 0.15 ms. Its Transpose moves one
 * float at a time in C++, even where the last axis stays last and so moves whole rows: attention's
 * (B, T, H, d) → (B, H, T, d), a sequence's (B, T, n) ↔ (T, B, n). Here each
 * is one block copy (`copyBlock`): every contiguous run of the block moved straight from the
 * input's heap memory to the output's by `copyRuns` (heap-routines.ts, 16 bytes at a time in
 * WebAssembly), with no copy of the input and no allocation. Non-float32 tensors go to the
 * original kernels.
 */
import { backend_util, getKernel, slice_util, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { assert, isWasmTensorHeap, wasmByteOffset } from '@learnability/core';
import type { WasmTensorHeap } from '@learnability/core';
import type { HeapRoutines } from './heap-routines.js';
import { isReplaced, replaceKernels } from './replace-kernels.js';

/** The heap as bytes, beside the tensor offsets and outputs (PadV2 fills its output from JavaScript). */
interface WasmHeapBackend extends WasmTensorHeap {
  wasm: { HEAPU8: Uint8Array };
}

/** Whether `backend` is tfjs-wasm's, with its heap's bytes in reach. */
const isWasmHeapBackend = (backend: unknown): backend is WasmHeapBackend =>
  isWasmTensorHeap(backend) && (backend as Partial<WasmHeapBackend>).wasm?.HEAPU8 instanceof Uint8Array;

const PATCHED = Symbol.for('learnability.heapCopies');

/** Row-major strides of `shape` in floats, the last one 1. */
const stridesOf = (shape: readonly number[]) => [...util.computeStrides([...shape]), ...(shape.length ? [1] : [])];

/** One axis of a block copy: its extent and the steps it takes in the source and the destination (floats). */
interface Axis {
  size: number;
  from: number;
  to: number;
}

/**
 * The axes of a block copy, outer to inner, as few as walk it: size-1 axes dropped (all but the
 * last), and an axis folded into the one inside it where both sides step over that one whole.
 * Splitting (B, H, W, 2C) along C gives (B·H·W, C): one walk over runs of C floats.
 */
function foldedAxes(size: readonly number[], srcStrides: readonly number[], dstStrides: readonly number[]): Axis[] {
  const rank = size.length;
  if (rank === 0) return [{ size: 1, from: 1, to: 1 }];
  const axes: Axis[] = [{ size: size[rank - 1] as number, from: 1, to: 1 }]; // inner first while building
  for (let a = rank - 2; a >= 0; a--) {
    const axis = { size: size[a] as number, from: srcStrides[a] as number, to: dstStrides[a] as number };
    const inner = axes[axes.length - 1] as Axis;
    if (axis.size === 1) continue;
    if (axis.from === inner.size * inner.from && axis.to === inner.size * inner.to) inner.size *= axis.size;
    else axes.push(axis);
  }
  return axes.reverse();
}

/**
 * Copies a block of shape `size` from float index `src` (strides `srcStrides`) to `dst` (strides
 * `dstStrides`) on the heap; both have stride 1 on the last axis, so each run along it is
 * contiguous on both sides. `copyRuns` walks the innermost axis outside the runs, an odometer
 * here the axes outside that (a rank-4 split or concatenation folds to none).
 */
function copyBlock(
  routines: HeapRoutines,
  src: number,
  srcStrides: readonly number[],
  dst: number,
  dstStrides: readonly number[],
  size: readonly number[],
): void {
  if (size.some((s) => s === 0)) return;
  const axes = foldedAxes(size, srcStrides, dstStrides);
  const run = (axes.pop() as Axis).size; // the last axis, contiguous on both sides
  const walked = axes.pop() ?? { size: 1, from: 0, to: 0 };
  const index = new Array<number>(axes.length).fill(0);
  let from = src;
  let to = dst;
  for (;;) {
    routines.copyRuns(4 * from, 4 * walked.from, 4 * to, 4 * walked.to, walked.size, 4 * run);
    let a = axes.length - 1;
    for (; a >= 0; a--) {
      const axis = axes[a] as Axis;
      from += axis.from;
      to += axis.to;
      if (++(index[a] as number) < axis.size) break;
      from -= axis.size * axis.from;
      to -= axis.size * axis.to;
      index[a] = 0;
    }
    if (a < 0) return;
  }
}

/** Float index of a tensor's first element; the heap as floats (read after every allocation: it may grow). */
const at = (w: WasmHeapBackend, t: TensorInfo) => wasmByteOffset(w, t) / 4;
const floats = (w: WasmHeapBackend) => new Float32Array(w.wasm.HEAPU8.buffer);

/** x[begin : begin + size] as a new tensor, of shape `outShape` (the same floats: `size` with axes of 1 dropped). */
function heapSlice(
  w: WasmHeapBackend,
  routines: HeapRoutines,
  x: TensorInfo,
  begin: number[],
  size: number[],
  outShape: number[] = size,
): TensorInfo {
  const out = w.makeOutput(outShape, 'float32');
  const xStrides = stridesOf(x.shape);
  const first = begin.reduce((s, b, a) => s + b * (xStrides[a] as number), at(w, x));
  copyBlock(routines, first, xStrides, at(w, out), stridesOf(size), size);
  return out;
}

/** Tile makes one block copy per repetition; past this many, it leaves the tiling to tfjs-wasm. */
const MAX_TILE_COPIES = 4096;

/**
 * Replaces the wasm Slice, SplitV, Unpack, Concat, PadV2, Tile and Transpose kernels (float32;
 * Transpose where the last axis stays last) with heap copies by `routines` (on this backend's
 * heap). Call after the wasm backend is initialised; idempotent.
 */
export function installHeapCopies(backend: unknown, routines: HeapRoutines | null): boolean {
  const names = ['Slice', 'SplitV', 'Unpack', 'Concat', 'PadV2', 'Tile', 'Transpose'];
  const originals = names.map((name) => getKernel(name, 'wasm'));
  if (originals.some((k) => !k) || !isWasmHeapBackend(backend) || !routines) return false;
  const [slice, splitV, unpack, concat, padV2, tile, transpose] = originals as KernelConfig[] as [
    KernelConfig,
    KernelConfig,
    KernelConfig,
    KernelConfig,
    KernelConfig,
    KernelConfig,
    KernelConfig,
  ];
  if (isReplaced(slice, PATCHED)) return true;
  // The backend each call runs on (the one installed here, checked again rather than cast).
  const heapOf = (args: Parameters<KernelFunc>[0]): WasmHeapBackend => {
    assert(isWasmHeapBackend(args.backend), 'heap copies: expected the tfjs-wasm backend with its heap');
    return args.backend;
  };
  const sliceFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return slice.kernelFunc(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [from, sizes] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    return heapSlice(heapOf(args), routines, x, from, sizes);
  };
  const splitFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return splitV.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const along = util.parseAxisParam(axis, x.shape)[0] as number;
    const begin = new Array<number>(x.shape.length).fill(0);
    return backend_util.prepareSplitSize(x as never, numOrSizeSplits, along).map((s) => {
      const size = [...x.shape];
      size[along] = s;
      const part = heapSlice(heapOf(args), routines, x, [...begin], size);
      begin[along] = (begin[along] as number) + s;
      return part;
    });
  };
  const unpackFunc: KernelFunc = (args) => {
    const x = args.inputs.value as TensorInfo;
    if (x.dtype !== 'float32') return unpack.kernelFunc(args);
    const along = util.parseAxisParam((args.attrs as { axis: number }).axis, x.shape)[0] as number;
    const size = [...x.shape];
    size[along] = 1;
    const outShape = x.shape.filter((_, a) => a !== along);
    const begin = new Array<number>(x.shape.length).fill(0);
    const w = heapOf(args);
    return Array.from({ length: x.shape[along] as number }, (_, i) => {
      begin[along] = i;
      return heapSlice(w, routines, x, [...begin], size, outShape);
    });
  };
  const concatFunc: KernelFunc = (args) => {
    const xs = Object.values(args.inputs) as TensorInfo[];
    if (xs.some((x) => x.dtype !== 'float32')) return concat.kernelFunc(args);
    const first = xs[0] as TensorInfo;
    const along = util.parseAxisParam((args.attrs as { axis: number }).axis, first.shape)[0] as number;
    backend_util.assertParamsConsistent(
      xs.map((x) => x.shape),
      along,
    );
    const outShape = backend_util.computeOutShape(
      xs.map((x) => x.shape),
      along,
    );
    const w = heapOf(args);
    const out = w.makeOutput(outShape, 'float32');
    const outStrides = stridesOf(outShape);
    let offset = at(w, out);
    for (const x of xs) {
      copyBlock(routines, at(w, x), stridesOf(x.shape), offset, outStrides, x.shape);
      offset += (x.shape[along] as number) * (outStrides[along] as number);
    }
    return out;
  };
  const padFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return padV2.kernelFunc(args);
    const { paddings, constantValue } = args.attrs as {
      paddings: [number, number][];
      constantValue: number;
    };
    const outShape = paddings.map(([before, after], a) => before + (x.shape[a] as number) + after);
    const w = heapOf(args);
    const out = w.makeOutput(outShape, 'float32');
    const outStrides = stridesOf(outShape);
    const o = at(w, out);
    floats(w).fill(constantValue, o, o + util.sizeFromShape(outShape));
    const inner = paddings.reduce((s, [before], a) => s + before * (outStrides[a] as number), o);
    copyBlock(routines, at(w, x), stridesOf(x.shape), inner, outStrides, x.shape);
    return out;
  };
  const tileFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { reps } = args.attrs as { reps: number[] };
    const copies = reps.reduce((p, r) => p * r, 1);
    if (x.dtype !== 'float32' || copies > MAX_TILE_COPIES) return tile.kernelFunc(args);
    const outShape = x.shape.map((d, a) => d * (reps[a] as number));
    const w = heapOf(args);
    const out = w.makeOutput(outShape, 'float32');
    const [xStrides, outStrides] = [stridesOf(x.shape), stridesOf(outShape)];
    // Repetition r (an odometer over reps) goes to out[r·x.shape : (r + 1)·x.shape].
    const r = new Array<number>(reps.length).fill(0);
    for (let c = 0; c < copies; c++) {
      const offset = r.reduce((s, i, a) => s + i * (x.shape[a] as number) * (outStrides[a] as number), at(w, out));
      copyBlock(routines, at(w, x), xStrides, offset, outStrides, x.shape);
      for (let a = r.length - 1; a >= 0; a--) {
        const next = (r[a] as number) + 1;
        r[a] = next < (reps[a] as number) ? next : 0;
        if (next < (reps[a] as number)) break;
      }
    }
    return out;
  };
  const transposeFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { perm } = args.attrs as { perm: number[] };
    const last = x.shape.length - 1;
    // Keeping the last axis last, it moves whole rows: a block copy (even rows of 1 to 3 floats
    // copy no slower than tfjs-wasm's loop here). Other permutations stay with tfjs-wasm.
    if (x.dtype !== 'float32' || last < 0 || perm[last] !== last) return transpose.kernelFunc(args);
    // Output axis a walks input axis perm[a]: the input's strides, permuted, against the output's.
    const outShape = perm.map((p) => x.shape[p] as number);
    const xStrides = stridesOf(x.shape);
    const w = heapOf(args);
    const out = w.makeOutput(outShape, 'float32');
    const from = perm.map((p) => xStrides[p] as number);
    copyBlock(routines, at(w, x), from, at(w, out), stridesOf(outShape), outShape);
    return out;
  };
  replaceKernels(PATCHED, [
    [slice, sliceFunc],
    [splitV, splitFunc],
    [unpack, unpackFunc],
    [concat, concatFunc],
    [padV2, padFunc],
    [tile, tileFunc],
    [transpose, transposeFunc],
  ]);
  return true;
}
