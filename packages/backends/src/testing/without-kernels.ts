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

/**
 * How far the gradients of Σ f(inputs) ⊙ dy are from those of Σ g(inputs) ⊙ dy (a kernel path
 * against its ops path): the largest |difference| over every input's gradient, and every kernel
 * that f's forward and backward passes ran (the weighted sum's included), so a test can check its
 * gradient kernels ran (a fallback to the ops would compare the ops with themselves). Frees what
 * it makes.
 */
export async function gradientGap(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  g: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  dy: tf.Tensor,
): Promise<{ gap: number; kernelsRan: string[] }> {
  if (inputs.length === 0)
    throw new Error('gradientGap: expected at least one input to differentiate by, but got none');
  const grads = (h: typeof f) => tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(h(...xs), dy)))(inputs);
  let ofF: tf.Tensor[] = [];
  const { kernelNames } = await tf.profile(() => {
    ofF = grads(f);
    return [];
  });
  const ofG = grads(g);
  const gaps = ofF.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, ofG[i] as tf.Tensor)))));
  const gap = Math.max(...(await Promise.all(gaps.map(async (t) => (await t.data())[0] as number))));
  tf.dispose([...ofF, ...ofG, ...gaps]);
  return { gap, kernelsRan: [...new Set(kernelNames)] };
}
