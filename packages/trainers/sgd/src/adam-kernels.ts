import type { KernelPlugin } from '@learnability/core';
import { WEBGPU_ADAM_UPDATE } from './webgpu-adam.js';

/**
 * Adam's kernels as plug-ins for `setupBackend(name, { kernels: ADAM_KERNELS })`: the update of
 * every parameter as one kernel call (adam-update.ts), on webgpu.
 */
export const ADAM_KERNELS: readonly KernelPlugin[] = [WEBGPU_ADAM_UPDATE];
