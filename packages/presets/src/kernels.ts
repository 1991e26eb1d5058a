import type { KernelPlugin } from '@learnability/core';
import { DENSE_KERNELS } from '@learnability/dense';
import { LOOPED_KERNELS } from '@learnability/looped-transformer';
import { RCNN_KERNELS } from '@learnability/rcnn';
import { RNN_KERNELS } from '@learnability/rnn';
import { ADAM_KERNELS } from '@learnability/sgd';

/**
 * Every model's and trainer's fused kernels, for apps to pass to `setupBackend(name, { kernels:
 * KERNELS })`: presets is the one package that knows every part by name.
 */
export const KERNELS: readonly KernelPlugin[] = [
  ...DENSE_KERNELS,
  ...LOOPED_KERNELS,
  ...RCNN_KERNELS,
  ...RNN_KERNELS,
  ...ADAM_KERNELS,
];
