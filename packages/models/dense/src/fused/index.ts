/**
 * The dense model's fused kernels, one implementation per backend, as plug-ins for
 * `setupBackend(name, { kernels: DENSE_KERNELS })`.
 */
import type { KernelPlugin } from '@learnability/core';
import { WASM_DENSE_SGD_STEP } from './wasm/wasm-kernel.js';
import { WEBGPU_DENSE_SGD_STEP } from './webgpu/webgpu-kernel.js';

export const DENSE_KERNELS: readonly KernelPlugin[] = [WASM_DENSE_SGD_STEP, WEBGPU_DENSE_SGD_STEP];
