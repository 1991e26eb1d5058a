import type { KernelPlugin } from '@learnability/core';
import { WASM_BLOCK_KERNELS } from './wasm/block-kernels.js';
import { WEBGPU_LOOPED_STEP } from './webgpu/webgpu-kernel.js';

/**
 * The looped transformer's fused kernels, as plug-ins for `setupBackend(name, { kernels:
 * LOOPED_KERNELS })`: the whole training step on webgpu, and the block's GELU, LayerNorm and
 * causal attention (each way) on wasm.
 */
export const LOOPED_KERNELS: readonly KernelPlugin[] = [WEBGPU_LOOPED_STEP, ...WASM_BLOCK_KERNELS];
