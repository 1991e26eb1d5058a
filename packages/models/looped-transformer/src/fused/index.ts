/**
 * The looped transformer's fused kernels, one implementation per backend, as plug-ins for
 * `setupBackend(name, { kernels: LOOPED_KERNELS })`.
 */
import type { KernelPlugin } from '@learnability/core';
import { WEBGPU_LOOPED_STEP } from './webgpu/webgpu-kernel.js';

export const LOOPED_KERNELS: readonly KernelPlugin[] = [WEBGPU_LOOPED_STEP];
