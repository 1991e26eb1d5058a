/**
 * What this package's single-dispatch webgpu kernels share: recording one compute pass with one
 * dispatch, and wrapping a kernel maker as a webgpu `KernelPlugin`.
 */
/// <reference types="@webgpu/types" />
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import type { KernelFunc } from '@tensorflow/tfjs-core';

/** Records `pipeline` over `grid` workgroups with bind group 0 into `encoder`. */
export function recordDispatch(
  encoder: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  group: GPUBindGroup,
  grid: [number, number],
): void {
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(...grid);
  pass.end();
}

/** A webgpu plug-in whose kernel is made from the step engine (registered by `setupBackend`). */
export function webGpuPlugin(kernelName: string, make: (gpu: GpuStepEngine) => KernelFunc): KernelPlugin {
  return {
    kernelName,
    backendName: 'webgpu',
    prepare({ gpu }) {
      return Promise.resolve(gpu ? make(gpu) : 'no WebGPU step engine was given');
    },
  };
}
