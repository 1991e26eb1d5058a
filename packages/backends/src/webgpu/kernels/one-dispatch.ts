/**
 * What this package's single-dispatch webgpu kernels share: recording one compute pass with one
 * dispatch.
 */
/// <reference types="@webgpu/types" preserve="true" />

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
