/**
 * The RCNN's fused kernels as plug-ins for `setupBackend(name, { kernels: RCNN_KERNELS })`, on
 * wasm: the whole gated recurrent step each way (convolution, injection and update), and the
 * gated update alone (for `applyLayers`' traced steps).
 */
import type { KernelPlugin } from '@learnability/core';
import { WASM_GATE_KERNELS } from './wasm/gate-kernels.js';
import { WASM_STEP_KERNELS } from './wasm/step-kernels.js';

export const RCNN_KERNELS: readonly KernelPlugin[] = [...WASM_STEP_KERNELS, ...WASM_GATE_KERNELS];
