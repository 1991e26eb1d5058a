import type { KernelPlugin } from '@learnability/core';
import { WASM_DENSE_SGD_STEP } from './wasm/wasm-kernel.js';
import { WEBGPU_DENSE_SGD_STEP } from './webgpu/webgpu-kernel.js';

/**
 * The dense model's fused SGD step (forward, loss, backward and update as one kernel) on wasm and
 * on webgpu, as plug-ins for `setupBackend(name, { kernels: DENSE_KERNELS })`.
 */
export const DENSE_KERNELS: readonly KernelPlugin[] = [WASM_DENSE_SGD_STEP, WEBGPU_DENSE_SGD_STEP];
