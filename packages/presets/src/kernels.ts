/**
 * Every model's fused kernels, for apps to pass to `setupBackend(name, { kernels: KERNELS })`:
 * presets is the one package that knows every part by name.
 */
import type { KernelPlugin } from '@learnability/core';
import { DENSE_KERNELS } from '@learnability/dense';

export const KERNELS: readonly KernelPlugin[] = [...DENSE_KERNELS];
