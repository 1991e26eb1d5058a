/**
 * Runs webgpu kernels as if the device had other limits. Kernels here plan around a few of them,
 * and test shapes never reach a real device's: the elementwise and update kernels (dense, RNN,
 * RCNN, Adam, the looped step's update) lay a long 1-D range of workgroups on a 2-D grid once it
 * passes `maxComputeWorkgroupsPerDimension` (65,535: a parameter past 4M floats at 64 per group),
 * numbering their threads `(wid.x + wid.y · nx) · GROUP + li`, and with the limit at 4 a tensor of
 * a few hundred floats takes the second row; the tiled matMul and the looped step's other
 * dispatches refuse a grid past the limit instead (the looped step then says why it is not
 * fused); the fused looped step keeps fewer split-K copies of ∇θ where
 * `maxStorageBufferBindingSize` leaves less room.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import { gpuStepEngine } from '../webgpu/engine/step-engine.js';

/**
 * Prepares `plugins` (webgpu) on an engine that reports `limits` in place of the device's own
 * (those given; the rest as they are), registers them in place of the active ones while `f` runs,
 * then puts those back. The device itself is unchanged: only what the kernels plan around is, so
 * a test reaches the paths a kernel takes on a device of other limits (a smaller binding size, few
 * workgroups per dimension).
 */
export async function withDeviceLimits<T>(
  limits: Partial<GpuStepEngine['limits']>,
  plugins: readonly KernelPlugin[],
  f: () => Promise<T>,
): Promise<T> {
  if (tf.getBackend() !== 'webgpu') throw new Error('withDeviceLimits: set the webgpu backend up first');
  const backend = tf.backend();
  const engine = gpuStepEngine(backend);
  const reported = { ...engine.limits, ...limits };
  // A view of the engine with other limits: its methods still run on the engine itself.
  const view = new Proxy(engine, {
    get: (target, key) => {
      if (key === 'limits') return reported;
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as GpuStepEngine;
  const webgpu = plugins.filter((p) => p.backendName === 'webgpu');
  const made = await Promise.all(webgpu.map((p) => p.prepare({ backend, threads: 1, platform: 'node', gpu: view })));
  const saved = webgpu.flatMap((p) => tf.getKernel(p.kernelName, 'webgpu') ?? []);
  webgpu.forEach((p, i) => {
    const kernelFunc = made[i];
    if (typeof kernelFunc === 'string') throw new Error(`withDeviceLimits: ${p.kernelName}: ${kernelFunc}`);
    if (tf.getKernel(p.kernelName, 'webgpu')) tf.unregisterKernel(p.kernelName, 'webgpu');
    tf.registerKernel({ kernelName: p.kernelName, backendName: 'webgpu', kernelFunc: kernelFunc as tf.KernelFunc });
  });
  try {
    return await f();
  } finally {
    for (const p of webgpu) if (tf.getKernel(p.kernelName, 'webgpu')) tf.unregisterKernel(p.kernelName, 'webgpu');
    for (const c of saved) tf.registerKernel(c);
  }
}

/** `withDeviceLimits` with `maxPerDimension` workgroups per dispatch dimension. */
export const withNarrowDispatch = <T>(
  maxPerDimension: number,
  plugins: readonly KernelPlugin[],
  f: () => Promise<T>,
): Promise<T> => withDeviceLimits({ maxComputeWorkgroupsPerDimension: maxPerDimension }, plugins, f);
