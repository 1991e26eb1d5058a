/**
 * A tiled fp32 matMul for the webgpu backend (`tiledMatMul`), on the step engine: one dispatch,
 * the shader generated per shape (tiled-matmul-wgsl.ts). It is backends' own generic kernel —
 * no model's — so `setupBackend('webgpu')` always registers it.
 *
 * Why its own and not tfjs's `matMul`: at 4096² on an H200 tfjs-webgpu reaches ≈ 0.44× of
 * cuBLAS fp32 (docs/benchmarks.md); the transformer kernels need products near the hardware's rate.
 */
/// <reference types="@webgpu/types" preserve="true" />
import * as tf from '@tensorflow/tfjs-core';
import { webGpuPlugin } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { recordDispatch } from './one-dispatch.js';
import { matMulGrid, tiledMatMulWgsl } from './tiled-matmul-wgsl.js';
import type { MatMulShape } from './tiled-matmul-wgsl.js';

/**
 * The TF.js kernel name of `tiledMatMul`: { a (M, K), b (K, N) }, float32, N a multiple of 4
 * → (M, N), no attributes. `setupBackend` registers it on webgpu only.
 */
export const TILED_MATMUL = 'LearnabilityTiledMatMul';

/** Why (a, b) is not a product this kernel takes, or null. */
function unsupported(a: TensorInfo, b: TensorInfo): string | null {
  if (a.shape.length !== 2 || b.shape.length !== 2)
    return `needs 2-D tensors, but got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return `needs float32, but got ${a.dtype} and ${b.dtype}`;
  if (a.shape[1] !== b.shape[0]) return `inner sizes differ: (${a.shape.join(', ')}) · (${b.shape.join(', ')})`;
  if ((b.shape[1] as number) % 4 !== 0)
    return `needs N to be a multiple of 4 (b's and the product's rows are read as vec4), but got N = ${b.shape[1]}; pad b, or use tf.matMul`;
  return null;
}

/**
 * Why this device cannot run the product in one dispatch, or null: a grid dimension past
 * `maxComputeWorkgroupsPerDimension` (M or N past 65,535 × 128 at the default), or a tensor past
 * `maxStorageBufferBindingSize`. Without the check the dispatch fails validation and C is left
 * holding whatever its pooled buffer held, said only at the next read.
 */
function pastLimits(s: MatMulShape, limits: GpuStepEngine['limits']): string | null {
  const [gx, gy] = matMulGrid(s);
  const most = limits.maxComputeWorkgroupsPerDimension;
  if (gx > most || gy > most)
    return `(${s.M}, ${s.K}) · (${s.K}, ${s.N}) needs ${gx} × ${gy} workgroups (128 × 128 of C each), past this device's limit of ${most} workgroups per dimension; split the product into blocks of ${gy > most ? `rows of a (M ≤ ${most * 128})` : `columns of b (N ≤ ${most * 128})`}`;
  const tensors: [string, number][] = [
    ['a', s.M * s.K],
    ['b', s.K * s.N],
    ['the product', s.M * s.N],
  ];
  const big = tensors.find(([, floats]) => floats * 4 > limits.maxStorageBufferBindingSize);
  return big
    ? `${big[0]} takes ${big[1] * 4} bytes, past this device's storage binding limit of ${limits.maxStorageBufferBindingSize}; split the product into blocks`
    : null;
}

function tiledMatMulKernel(gpu: GpuStepEngine): KernelFunc {
  const layout = gpu.storageLayout(3, 2);
  return ({ inputs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const why = unsupported(a, b);
    if (why) throw new Error(`tiledMatMul: ${why}`);
    const s: MatMulShape = { M: a.shape[0] as number, K: a.shape[1] as number, N: b.shape[1] as number };
    const past = pastLimits(s, gpu.limits);
    if (past) throw new Error(`tiledMatMul: ${past}`);
    if (s.M === 0 || s.N === 0) return gpu.output([s.M, s.N]);
    // Inputs first: a refused input (bool-stored) then throws before the output exists.
    const inputBuffers = [a, b].map((t) => gpu.bufferOf(t));
    const c = gpu.output([s.M, s.N]);
    const pipeline = gpu.pipeline(`${TILED_MATMUL}:${s.M}x${s.K}x${s.N}`, tiledMatMulWgsl(s), 'main', layout);
    const group = gpu.device.createBindGroup({
      layout,
      entries: [...inputBuffers, gpu.bufferOf(c)].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    gpu.submit((encoder) => {
      if (s.K === 0) {
        encoder.clearBuffer(gpu.bufferOf(c));
        return;
      }
      recordDispatch(encoder, pipeline, group, matMulGrid(s));
    });
    return c;
  };
}

/** The plug-in: registered for webgpu by `setupBackend`. */
export const WEBGPU_TILED_MATMUL: KernelPlugin = webGpuPlugin(TILED_MATMUL, tiledMatMulKernel);

/**
 * a (M, K) · b (K, N) as one tiled dispatch on the webgpu backend (N a multiple of 4).
 * Throws on any other backend: it is a WebGPU kernel, and a silent tf.matMul would time the
 * wrong thing.
 */
export function tiledMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'webgpu')
    throw new Error(
      `tiledMatMul runs on the webgpu backend, but the active backend is ${tf.getBackend()}; use tf.matMul there`,
    );
  if (!tf.getKernel(TILED_MATMUL, 'webgpu'))
    throw new Error(
      'tiledMatMul: its kernel is not registered; set the backend up with setupBackend("webgpu") from @learnability/backends',
    );
  return tf.engine().runKernel(TILED_MATMUL, { a, b }, {}) as tf.Tensor2D;
}
