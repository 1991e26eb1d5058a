import type { KernelPlugin } from '@learnability/core';
import { WASM_GATE_KERNELS } from './wasm/gate-kernels.js';
import { WASM_UNROLL_KERNELS } from './wasm/unroll-kernels.js';
import { WEBGPU_UNROLL_KERNELS } from './webgpu/unroll-kernels.js';

/**
 * The RCNN's fused kernels as plug-ins for `setupBackend(name, { kernels: RCNN_KERNELS })`: the
 * gated recurrent steps of an unroll as one kernel each way (convolution, injection and update
 * at every step) on wasm and on webgpu, and the gated update alone on wasm (for `applyLayers`'
 * traced steps).
 */
export const RCNN_KERNELS: readonly KernelPlugin[] = [
  ...WASM_UNROLL_KERNELS,
  ...WASM_GATE_KERNELS,
  ...WEBGPU_UNROLL_KERNELS,
];
