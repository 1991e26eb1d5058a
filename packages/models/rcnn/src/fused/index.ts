/**
 * The RCNN's fused kernels as plug-ins for `setupBackend(name, { kernels: RCNN_KERNELS })`: the
 * gated update of a recurrent step, each way, on wasm.
 */
import type { KernelPlugin } from '@learnability/core';
import { WASM_GATE_KERNELS } from './wasm/gate-kernels.js';

export const RCNN_KERNELS: readonly KernelPlugin[] = WASM_GATE_KERNELS;
