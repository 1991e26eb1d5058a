/**
 * Names and records shared by every backend: what a caller asks for, what it gets back.
 */

/** A TF.js backend this package can set up. */
export type BackendName = 'cpu' | 'wasm' | 'webgpu';

/** What a caller may ask for: a backend by name, or `auto` (webgpu on a real GPU, else wasm). */
export type BackendRequest = BackendName | 'auto';

/** Every backend name, in the order `listBackends()` reports them. */
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** Every accepted request, for validating CLI flags and config files. */
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', ...BACKEND_NAMES];

/** True when `value` is one of `BACKEND_REQUESTS`. */
export function isBackendRequest(value: unknown): value is BackendRequest {
  return typeof value === 'string' && (BACKEND_REQUESTS as readonly string[]).includes(value);
}

/** The WebGPU adapter a `webgpu` backend runs on (from `GPUAdapter.info`). */
export interface GpuAdapterSummary {
  /** e.g. `nvidia`, `mesa`, `google`; empty when the implementation hides it. */
  vendor: string;
  /** e.g. `ampere`, `software`, `swiftshader`; empty when hidden. */
  architecture: string;
  /** Driver's own words, e.g. `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)`; empty when hidden. */
  description: string;
  /** True for a software (CPU) implementation such as lavapipe or SwiftShader. */
  isFallbackAdapter: boolean;
  /** The adapter's `limits.maxBufferSize`, bytes: the largest buffer (tensor) it can hold; absent when unknown. */
  maxBufferSize?: number;
  /** The adapter's `limits.maxStorageBufferBindingSize`, bytes: the largest tensor a kernel can bind; absent when unknown. */
  maxStorageBufferBindingSize?: number;
}

/** Whether one backend can run here, and why not. */
export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** Why it is unavailable, with the fix (absent when available). */
  reason?: string;
  /** webgpu only: the adapter it would run on. */
  adapter?: GpuAdapterSummary;
}

/** Where the code runs; decides how wasm threads and WebGPU are wired up. */
export type RuntimePlatform = 'node' | 'browser';

/** What `setupBackend` set up. `name` always equals `tf.getBackend()`. */
export interface BackendInfo {
  /** The backend now active. */
  name: BackendName;
  /** What was asked for (`auto` resolves to `name`). */
  requested: BackendRequest;
  platform: RuntimePlatform;
  /** wasm only: XNNPACK threads actually in use (read back from the backend, not the request). */
  threads?: number;
  /** wasm only: whether the SIMD binary is loaded. */
  simd?: boolean;
  /** webgpu only: the adapter in use. */
  adapter?: GpuAdapterSummary;
  /**
   * This package's own kernels for this backend (webgpu: the tiled matMul and UNPACK_SIGNS), then
   * those passed in `kernels`: registered, or why not (setupBackend always fills it).
   */
  kernels?: KernelStatus[];
}

/** One fused-kernel plug-in after setup. */
export interface KernelStatus {
  kernel: string;
  registered: boolean;
  /** Why it is not registered (absent when it is). */
  reason?: string;
}
