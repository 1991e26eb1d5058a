/**
 * The one place that reaches into tfjs-backend-webgpu's WebGPUBackend (4.22.0, pinned exactly
 * in pnpm-workspace.yaml's catalog). The step engine needs what the public API does not give:
 * the device, a tensor's GPU buffer, an output tensor with its buffer allocated, a way to
 * submit TF.js's pending commands before its own, and a check before every read of a tensor's
 * values (it wraps the instance's `read`). `webGpuInternals` checks every field it uses
 * and throws naming the tfjs version when one is missing, and a test calls it, so an upgrade
 * that changes them fails loudly instead of corrupting a run.
 */
/// <reference types="@webgpu/types" preserve="true" />
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** What a tensor's entry in WebGPUBackend.tensorMap holds (backend_webgpu.ts: TensorData). */
interface TensorData {
  values: ArrayLike<number> | null;
  resource: GPUBuffer | GPUTexture | null;
  dtype: string;
  shape: number[];
}

/** The fields and methods of WebGPUBackend used here. */
interface WebGpuBackendFields {
  device: GPUDevice;
  commandEncoder: GPUCommandEncoder | null;
  tensorMap: { get(dataId: object): TensorData | undefined };
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: 'float32'): TensorInfo;
  endComputePassEncoder(): void;
  submitQueue(): void;
  read(dataId: object): Promise<unknown>;
}

/** The operations the engine builds on. */
export interface WebGpuInternals {
  device: GPUDevice;
  /** The tensor's buffer, uploading host values through TF.js's own path first. */
  bufferOf(t: TensorInfo): GPUBuffer;
  /** Host values TF.js has not uploaded yet (Float32Array, or Int32Array for int32), or null. */
  hostValues(t: TensorInfo): Float32Array | Int32Array | null;
  /** A float32 tensor with a fresh (pooled) GPU buffer. */
  output(shape: number[]): TensorInfo;
  /** Submits TF.js's recorded-but-unsubmitted commands, if any. */
  flushPending(): void;
  /**
   * Makes every read of a tensor's values back to the host (`tensor.data()`; webgpu has no
   * synchronous read in Node) await `check` first: a rejection of `check` rejects the read before
   * anything is read or cached on the host.
   */
  checkEachRead(check: () => Promise<void>): void;
}

const METHODS = ['uploadToGPU', 'makeTensorInfo', 'endComputePassEncoder', 'submitQueue', 'read'] as const;

function fail(what: string): never {
  throw new Error(
    `the WebGPU step engine needs tfjs-backend-webgpu 4.22.0's ${what}; this tfjs differs: pin @tensorflow/tfjs-backend-webgpu to 4.22.0 or update packages/backends/src/webgpu/engine/tfjs-webgpu-internals.ts`,
  );
}

function isFields(backend: unknown): backend is WebGpuBackendFields {
  if (typeof backend !== 'object' || backend === null) return false;
  const b = backend as Record<string, unknown>;
  for (const m of METHODS) if (typeof b[m] !== 'function') fail(`WebGPUBackend.${m}()`);
  if (typeof b['device'] !== 'object' || b['device'] === null) fail('WebGPUBackend.device');
  if (!('commandEncoder' in b)) fail('WebGPUBackend.commandEncoder');
  const map = b['tensorMap'] as { get?: unknown } | undefined;
  if (typeof map?.get !== 'function') fail('WebGPUBackend.tensorMap');
  return true;
}

export function webGpuInternals(backend: unknown): WebGpuInternals {
  if (!isFields(backend)) return fail('WebGPUBackend (got no backend object)');
  const b = backend;
  const dataOf = (t: TensorInfo): TensorData =>
    b.tensorMap.get(t.dataId) ?? fail(`tensorMap entry for a live tensor (dataId ${JSON.stringify(t.dataId)})`);
  return {
    device: b.device,
    bufferOf(t) {
      const stored = dataOf(t).dtype;
      // tfjs-webgpu's cast to a wider type keeps the data as it was (a cast from bool to float32
      // leaves int32 words in the buffer): a kernel reading it as t.dtype would read garbage.
      if (stored !== t.dtype)
        throw new Error(
          `WebGPU step engine: a ${t.dtype} input is stored as ${stored} (tf.cast from ${stored} keeps the stored values on webgpu); make it with an op that computes ${t.dtype} values, e.g. tf.step(x) for a 0/1 mask`,
        );
      b.uploadToGPU(t.dataId);
      const resource = dataOf(t).resource;
      // A tensor kept as a texture (tfjs's WEBGPU_USE_IMPORT / pixels paths) is not a storage buffer.
      if (resource === null || !('mapState' in resource))
        return fail('buffer-backed tensors (this one has no GPUBuffer)');
      return resource;
    },
    hostValues(t) {
      const d = dataOf(t);
      if (d.resource !== null && d.resource !== undefined) return null;
      if (d.values === null || d.values === undefined) return null;
      // The tensor's dtype decides (a float32 cast of an int32 or bool tensor keeps int values).
      if (t.dtype === 'int32') return d.values instanceof Int32Array ? d.values : Int32Array.from(d.values);
      return d.values instanceof Float32Array ? d.values : Float32Array.from(d.values);
    },
    output(shape) {
      const info = b.makeTensorInfo(shape, 'float32');
      b.uploadToGPU(info.dataId);
      return info;
    },
    flushPending() {
      if (b.commandEncoder === null) return;
      b.endComputePassEncoder();
      b.submitQueue();
    },
    checkEachRead(check) {
      // tfjs's engine calls the instance's read, so an own property wraps the class's method.
      const read = b.read.bind(b);
      b.read = async (dataId) => {
        await check();
        return read(dataId);
      };
    },
  };
}
