/**
 * Runs code as if the active backend had no implementation of some kernels: a fused kernel's
 * test compares it with the ops path on the same backend.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs `f` with `kernelNames` unregistered on the active backend, then registers them again. */
export function withoutKernels<T>(kernelNames: readonly string[], f: () => T): T {
  const backend = tf.getBackend();
  const configs = kernelNames.flatMap((name) => tf.getKernel(name, backend) ?? []);
  for (const c of configs) tf.unregisterKernel(c.kernelName, c.backendName);
  try {
    return f();
  } finally {
    for (const c of configs) tf.registerKernel(c);
  }
}
