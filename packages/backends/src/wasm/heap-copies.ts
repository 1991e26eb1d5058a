/**
 * Slice, SplitV, Concat and PadV2 for the wasm backend as copies within the wasm heap.
 *
 * tfjs-backend-wasm 4.22 slices in JavaScript: it first copies the whole input out of the heap
 * (`readSync`), then copies each row through a fresh `subarray`. For attention's split of q, k and
 * v, (R·B·T, 3D) into three (R·B·T, D), that is the input copied three times and one typed-array
 * view allocated per row; its Concat (the gradient of a split, and the RCNN's re-injected input)
 * allocates a view per row and input too, and its PadV2 (the gradient of a slice) runs a generic
 * C++ loop. Here each is one block copy (`copyBlock`): every contiguous run of the block moved
 * straight from the input's heap memory to the output's (`copyWithin`), with no copy of the input
 * and no allocation. Non-float32 tensors go to the original kernels.
 */
import { backend_util, getKernel, slice_util, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isReplaced, replaceKernels } from './replace-kernels.js';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use (public fields in 4.22). */
interface WasmHeapBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const PATCHED = Symbol.for('learnability.heapCopies');

/** Row-major strides of `shape` in floats, the last one 1. */
const stridesOf = (shape: readonly number[]) => [...util.computeStrides([...shape]), ...(shape.length ? [1] : [])];

/**
 * Copies a block of shape `size` from float index `src` (strides `srcStrides`) to `dst` (strides
 * `dstStrides`) in `heap`; both have stride 1 on the last axis, so each run along it is one
 * `copyWithin`. An odometer walks the other axes.
 */
function copyBlock(
  heap: Float32Array,
  src: number,
  srcStrides: readonly number[],
  dst: number,
  dstStrides: readonly number[],
  size: readonly number[],
): void {
  const rank = size.length;
  const count = util.sizeFromShape([...size]);
  if (count === 0) return;
  const run = rank === 0 ? 1 : (size[rank - 1] as number);
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let r = 0; r < count / run; r++) {
    let from = src;
    let to = dst;
    for (let a = 0; a < rank - 1; a++) {
      from += (index[a] as number) * (srcStrides[a] as number);
      to += (index[a] as number) * (dstStrides[a] as number);
    }
    heap.copyWithin(to, from, from + run);
    for (let a = rank - 2; a >= 0; a--) {
      if (++(index[a] as number) < (size[a] as number)) break;
      index[a] = 0;
    }
  }
}

/** Float index of a tensor's first element, and the heap as floats (read after every allocation: it may grow). */
const at = (w: WasmHeapBackend, t: TensorInfo) =>
  (w.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset / 4;
const floats = (w: WasmHeapBackend) => new Float32Array(w.wasm.HEAPU8.buffer);

/** x[begin : begin + size] as a new tensor. */
function heapSlice(w: WasmHeapBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = w.makeOutput(size, 'float32');
  const xStrides = stridesOf(x.shape);
  const first = begin.reduce((s, b, a) => s + b * (xStrides[a] as number), at(w, x));
  copyBlock(floats(w), first, xStrides, at(w, out), stridesOf(size), size);
  return out;
}

/** Replaces the wasm Slice, SplitV, Concat and PadV2 kernels (float32) with heap copies. Call after the wasm backend is initialised; idempotent. */
export function installHeapCopies(backend: unknown): boolean {
  const originals = ['Slice', 'SplitV', 'Concat', 'PadV2'].map((name) => getKernel(name, 'wasm'));
  const b = backend as Partial<WasmHeapBackend> | null;
  if (originals.some((k) => !k) || typeof b?.makeOutput !== 'function' || !(b.wasm?.HEAPU8 instanceof Uint8Array))
    return false;
  const [slice, splitV, concat, padV2] = originals as [KernelConfig, KernelConfig, KernelConfig, KernelConfig];
  if (isReplaced(slice, PATCHED)) return true;
  const heapOf = (args: Parameters<KernelFunc>[0]) => args.backend as unknown as WasmHeapBackend;
  const sliceFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return slice.kernelFunc(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [from, sizes] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    return heapSlice(heapOf(args), x, from, sizes);
  };
  const splitFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return splitV.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const along = util.parseAxisParam(axis, x.shape)[0] as number;
    const begin = new Array<number>(x.shape.length).fill(0);
    return backend_util.prepareSplitSize(x as never, numOrSizeSplits, along).map((s) => {
      const size = [...x.shape];
      size[along] = s;
      const part = heapSlice(heapOf(args), x, [...begin], size);
      begin[along] = (begin[along] as number) + s;
      return part;
    });
  };
  const concatFunc: KernelFunc = (args) => {
    const xs = args.inputs as unknown as TensorInfo[];
    if (xs.some((x) => x.dtype !== 'float32')) return concat.kernelFunc(args);
    const first = xs[0] as TensorInfo;
    const along = util.parseAxisParam((args.attrs as unknown as { axis: number }).axis, first.shape)[0] as number;
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
    const heap = floats(w);
    const outStrides = stridesOf(outShape);
    let offset = at(w, out);
    for (const x of xs) {
      copyBlock(heap, at(w, x), stridesOf(x.shape), offset, outStrides, x.shape);
      offset += (x.shape[along] as number) * (outStrides[along] as number);
    }
    return out;
  };
  const padFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return padV2.kernelFunc(args);
    const { paddings, constantValue } = args.attrs as unknown as {
      paddings: [number, number][];
      constantValue: number;
    };
    const outShape = paddings.map(([before, after], a) => before + (x.shape[a] as number) + after);
    const w = heapOf(args);
    const out = w.makeOutput(outShape, 'float32');
    const heap = floats(w);
    const outStrides = stridesOf(outShape);
    const o = at(w, out);
    heap.fill(constantValue, o, o + util.sizeFromShape(outShape));
    const inner = paddings.reduce((s, [before], a) => s + before * (outStrides[a] as number), o);
    copyBlock(heap, at(w, x), stridesOf(x.shape), inner, outStrides, x.shape);
    return out;
  };
  replaceKernels(PATCHED, [
    [slice, sliceFunc],
    [splitV, splitFunc],
    [concat, concatFunc],
    [padV2, padFunc],
  ]);
  return true;
}
