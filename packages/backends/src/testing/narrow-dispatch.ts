/**
 * Runs webgpu kernels as if the device allowed only a few workgroups per dispatch dimension.
 * Every webgpu kernel here lays a long 1-D range of workgroups on a 2-D grid once it passes the
 * device's `maxComputeWorkgroupsPerDimension` (65,535: a parameter past 4M floats at 64 per
 * group), and numbers its threads `(wid.x + wid.y · nx) · GROUP + li`. Test shapes never get
 * that far; with the limit at 4, a tensor of a few hundred floats takes the second row.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import { gpuStepEngine } from '../webgpu/engine/step-engine.js';

/**
 * Prepares `plugins` (webgpu) on an engine that reports `maxPerDimension` workgroups per
 * dimension, registers them in place of the active ones while `f` runs, then puts those back.
 * The device itself is unchanged: only what the kernels plan around is.
 */
export async function withNarrowDispatch<T>(
  maxPerDimension: number,
  plugins: readonly KernelPlugin[],
  f: () => Promise<T>,
): Promise<T> {
  if (tf.getBackend() !== 'webgpu') throw new Error('withNarrowDispatch: set the webgpu backend up first');
  const backend = tf.backend();
  const engine = gpuStepEngine(backend);
  const limits = { ...engine.limits, maxComputeWorkgroupsPerDimension: maxPerDimension };
  // A view of the engine with other limits: its methods still run on the engine itself.
  const narrow = new Proxy(engine, {
    get: (target, key) => {
      if (key === 'limits') return limits;
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as GpuStepEngine;
  const webgpu = plugins.filter((p) => p.backendName === 'webgpu');
  const made = await Promise.all(webgpu.map((p) => p.prepare({ backend, threads: 1, platform: 'node', gpu: narrow })));
  const saved = webgpu.flatMap((p) => tf.getKernel(p.kernelName, 'webgpu') ?? []);
  webgpu.forEach((p, i) => {
    const kernelFunc = made[i];
    if (typeof kernelFunc === 'string') throw new Error(`withNarrowDispatch: ${p.kernelName}: ${kernelFunc}`);
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
