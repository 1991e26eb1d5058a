/**
 * The contract of a WebGPU step engine (`GpuStepEngine`), and the rules it exists for (one
 * training step = one queue submit, nothing read back):
 * - pipelines and bind groups are built on first use and cached by the caller's key (pipelines:
 *   the 256 most recently used; an evicted key compiles again);
 * - the engine's own buffers persist between steps (parameters, activations, scratch);
 * - a step is recorded into one command encoder and submitted once, after any TF.js work
 *   still pending is submitted (so it sees every earlier result).
 */
/// <reference types="@webgpu/types" preserve="true" />
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * What a model's fused WebGPU kernel may ask of the backend it runs on. @learnability/backends
 * implements it on tfjs-backend-webgpu and hands it to each webgpu `KernelPlugin`
 * (`KernelSetupContext.gpu`), so a model package needs no dependency on a backend package.
 */
export interface GpuStepEngine {
  readonly device: GPUDevice;
  /** The device's limits that kernels plan around. */
  readonly limits: {
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupsPerDimension: number;
    maxComputeWorkgroupStorageSize: number;
    maxStorageBuffersPerShaderStage: number;
  };
  /** A bind group layout of `bindings` compute storage buffers, the first `readOnly` of them read-only (one per shape). */
  storageLayout(bindings: number, readOnly: number): GPUBindGroupLayout;
  /**
   * A bind group layout for programs dispatched once per step of a recurrence: binding 0 is the
   * step index (WGSL `struct Step { t: u32 }`, read-only storage, at a dynamic offset that
   * `stepOffset(t)` gives), then `buffers` storage buffers, the first `readOnly` of them read-only.
   * So one bind group and one pipeline serve every step of a call.
   */
  steppedLayout(buffers: number, readOnly: number): GPUBindGroupLayout;
  /**
   * The buffer of step indices 0 … count − 1 (bind it at binding 0 with size 4). It is grown, as
   * a new buffer, when a call asks for more steps than it holds: make bind groups after asking.
   */
  stepIndices(count: number): GPUBuffer;
  /** The dynamic offset of step t in `stepIndices`' buffer (t times the device's storage offset alignment). */
  stepOffset(t: number): number;
  /**
   * One call of programs on a `steppedLayout`: one submit (as `submit`), one command encoder and
   * one compute pass, each dispatch `[pipeline, step t, workgroups (x, y)]` in order, all with one
   * bind group of the step indices and `buffers` (made inside the submit's error scope, so a
   * binding over a limit is reported as `submit` reports errors); `before` and `after` record
   * copies around the pass.
   */
  runSteps(call: SteppedCall): void;
  /** A compute pipeline for `code` (one entry point), compiled on first use of `key` and cached (the 256 most recently used). */
  pipeline(key: string, code: string, entryPoint: string, layout: GPUBindGroupLayout): GPUComputePipeline;
  /** A storage buffer the engine keeps until `release(owner)`, at least `bytes` long. */
  buffer(owner: object, name: string, bytes: number): GPUBuffer;
  /** Destroys every buffer `owner` asked for. */
  release(owner: object): void;
  /**
   * A cache of a kernel's step plans (pipelines, buffers, bind groups) by key, keeping the `max`
   * most recently used: `planFor(key, make)` returns the cached plan or `make(owner)`'s new one,
   * whose buffers are asked for with `owner` and released when the plan is evicted.
   */
  plans<P>(max: number): (key: string, make: (owner: object) => P) => P;
  /** The GPU buffer of a tensor of this backend, uploading its host values through TF.js first. */
  bufferOf(t: TensorInfo): GPUBuffer;
  /**
   * A tensor's host values when TF.js has not uploaded it yet (so a kernel writes them itself,
   * without TF.js's per-upload staging buffer), else null: Float32Array for float32 tensors,
   * Int32Array for int32.
   */
  hostValues(t: TensorInfo): Float32Array | Int32Array | null;
  /** A new float32 output tensor of this backend, with its GPU buffer allocated. */
  output(shape: number[]): TensorInfo;
  /** `queue.writeBuffer` at `byteOffset` (default 0): ordered before the next submit. */
  write(buffer: GPUBuffer, data: Float32Array | Int32Array, byteOffset?: number): void;
  /** Records one step into a fresh command encoder and submits it once. */
  submit(record: (encoder: GPUCommandEncoder) => void): void;
}

/** What `GpuStepEngine.runSteps` runs. */
export interface SteppedCall {
  layout: GPUBindGroupLayout;
  /** Bindings 1, 2, … of the layout. */
  buffers: GPUBuffer[];
  /** Steps the indices must reach (the largest t dispatched, plus one). */
  steps: number;
  dispatches: [pipeline: GPUComputePipeline, t: number, workgroups: [number, number]][];
  before?(encoder: GPUCommandEncoder): void;
  after?(encoder: GPUCommandEncoder): void;
}
