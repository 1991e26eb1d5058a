/**
 * Slice and SplitV for the wasm backend that copy within the wasm heap.
 *
 * tfjs-backend-wasm 4.22 slices in JavaScript: it first copies the whole input out of the heap
 * (`readSync`), then copies each row through a fresh `subarray`. For attention's split of q, k and
 * v, (R·B·T, 3D) into three (R·B·T, D), that is the input copied three times and one typed-array
 * view allocated per row. These kernels copy each contiguous run of the slice straight from the
 * input's heap memory to the output's (`copyWithin`), with no copy of the input and no allocation.
 * Non-float32 tensors go to the original kernels.
 */
import { getKernel, registerKernel, slice_util, unregisterKernel, util, backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use (public fields in 4.22). */
interface WasmHeapBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const PATCHED = Symbol.for('learnability.heapSlice');

/** Copies x[begin : begin + size] (any rank) into a new float32 tensor. */
function heapSlice(w: WasmHeapBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = w.makeOutput(size, 'float32');
  const heap = new Float32Array(w.wasm.HEAPU8.buffer);
  const src = (w.dataIdMap.get(x.dataId) as { memoryOffset: number }).memoryOffset / 4;
  let dst = (w.dataIdMap.get(out.dataId) as { memoryOffset: number }).memoryOffset / 4;
  const strides = [...util.computeStrides(x.shape), 1];
  const rank = x.shape.length;
  if (rank === 0 || slice_util.isSliceContinous(x.shape, begin, size)) {
    const from = src + slice_util.computeFlatOffset(begin, strides);
    heap.copyWithin(dst, from, from + util.sizeFromShape(size));
    return out;
  }
  // Runs along the last axis; an odometer over the others.
  const run = size[rank - 1] as number;
  const index = new Array<number>(rank - 1).fill(0);
  const runs = util.sizeFromShape(size) / run;
  for (let r = 0; r < runs && run > 0; r++) {
    let from = src + (begin[rank - 1] as number);
    for (let a = 0; a < rank - 1; a++) from += ((begin[a] as number) + (index[a] as number)) * (strides[a] as number);
    heap.copyWithin(dst, from, from + run);
    dst += run;
    for (let a = rank - 2; a >= 0; a--) {
      if (++(index[a] as number) < (size[a] as number)) break;
      index[a] = 0;
    }
  }
  return out;
}

/** Replaces the wasm Slice and SplitV kernels (float32) with heap copies. Call after the wasm backend is initialised; idempotent. */
export function installHeapSlice(backend: unknown): boolean {
  const slice = getKernel('Slice', 'wasm');
  const splitV = getKernel('SplitV', 'wasm');
  const b = backend as Partial<WasmHeapBackend> | null;
  if (!slice || !splitV || typeof b?.makeOutput !== 'function' || !(b.wasm?.HEAPU8 instanceof Uint8Array)) return false;
  if ((slice as KernelConfig & { [PATCHED]?: true })[PATCHED]) return true;
  const sliceFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return slice.kernelFunc(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [from, sizes] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    return heapSlice(args.backend as unknown as WasmHeapBackend, x, from, sizes);
  };
  const splitFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return splitV.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const at = util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, at);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[at] = s;
      const part = heapSlice(args.backend as unknown as WasmHeapBackend, x, [...begin], size);
      begin[at] = (begin[at] as number) + s;
      return part;
    });
  };
  for (const [k, f] of [
    [slice, sliceFunc],
    [splitV, splitFunc],
  ] as const) {
    unregisterKernel(k.kernelName, 'wasm');
    registerKernel({ ...k, kernelFunc: f, [PATCHED]: true } as KernelConfig);
  }
  return true;
}
