/**
 * The looped transformer's fused kernels, one implementation per backend, as plug-ins for
 * `setupBackend(name, { kernels: LOOPED_KERNELS })`: the whole training step on WebGPU, and the
 * block's GELU and LayerNorm (each way) on wasm.
 */
import type { KernelPlugin } from '@learnability/core';
import { WASM_BLOCK_KERNELS } from './wasm/block-kernels.js';
import { WEBGPU_LOOPED_STEP } from './webgpu/webgpu-kernel.js';

export const LOOPED_KERNELS: readonly KernelPlugin[] = [WEBGPU_LOOPED_STEP, ...WASM_BLOCK_KERNELS];
