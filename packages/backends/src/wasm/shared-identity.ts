/**
 * Identity, and Cast to the same dtype, for the wasm backend without a copy.
 *
 * tfjs-core clones every tensor a gradient tape saves (`Identity`), and its Mul and RealDiv
 * gradients cast to the dtype a tensor already has. tfjs-backend-wasm 4.22 allocates and copies
 * for both, where the cpu backend shares the input's memory and counts a reference, as Reshape
 * already does on wasm. These kernels do the same. That is safe because no wasm kernel writes
 * into its inputs: every one of them, ours included, makes new outputs.
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { isReplaced, replaceKernels } from './replace-kernels.js';

const PATCHED = Symbol.for('learnability.sharedIdentity');

/** The part of tfjs-backend-wasm's BackendWasm these kernels use (public in 4.22). */
interface RefCounting {
  incRef(dataId: object): void;
}

/** Replaces wasm's Identity and Cast (same dtype) with reference-counted shares. Call after the wasm backend is initialised; idempotent. */
export function installSharedIdentity(backend: unknown): boolean {
  const identity = getKernel('Identity', 'wasm');
  const cast = getKernel('Cast', 'wasm');
  if (!identity || !cast || typeof (backend as Partial<RefCounting> | null)?.incRef !== 'function') return false;
  if (isReplaced(identity, PATCHED)) return true;
  const share = (x: TensorInfo, b: unknown): TensorInfo => {
    (b as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  const identityFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    return x.dtype === 'string' ? identity.kernelFunc(args) : share(x, args.backend);
  };
  const castFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { dtype } = args.attrs as { dtype: string };
    return x.dtype === dtype && x.dtype !== 'string' ? share(x, args.backend) : cast.kernelFunc(args);
  };
  replaceKernels(PATCHED, [
    [identity, identityFunc],
    [cast, castFunc],
  ]);
  return true;
}
