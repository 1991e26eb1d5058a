import type { KernelPlugin } from '@learnability/core';
import { WASM_SCAN_KERNELS } from './wasm-scan.js';
import { WEBGPU_SCAN_KERNELS } from './webgpu-scan.js';

/**
 * The RNN's kernels as plug-ins for `setupBackend(name, { kernels: RNN_KERNELS })`: both
 * recurrences through time (scan.ts) as one kernel each, on wasm and on webgpu.
 */
export const RNN_KERNELS: readonly KernelPlugin[] = [...WASM_SCAN_KERNELS, ...WEBGPU_SCAN_KERNELS];
