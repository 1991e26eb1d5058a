/**
 * Registers fused-kernel plug-ins (`KernelPlugin`, @learnability/core) for the backend that
 * `setupBackend` just set up. Each plug-in is prepared once per backend instance; a plug-in
 * that cannot run here registers nothing and its reason is reported, so the model's fused step
 * says why and the trainer runs the generic path.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelPlugin, KernelSetupContext } from '@learnability/core';
import type { BackendName, KernelStatus } from './types.js';
import { gpuStepEngine } from './webgpu/engine/step-engine.js';

/** backend instance → kernel name → what its preparation gave. */
const prepared = new WeakMap<object, Map<string, Promise<tf.KernelFunc | string>>>();

export async function registerKernels(
  name: BackendName,
  plugins: readonly KernelPlugin[],
  context: Omit<KernelSetupContext, 'backend'>,
): Promise<KernelStatus[]> {
  const backend = tf.backend();
  let own = prepared.get(backend);
  if (!own) prepared.set(backend, (own = new Map()));
  const statuses: KernelStatus[] = [];
  for (const plugin of plugins.filter((p) => p.backendName === name)) {
    let ready = own.get(plugin.kernelName);
    if (!ready) {
      // webgpu kernels get the step engine (made on first use; it checks tfjs's internals).
      const prepare = async () =>
        plugin.prepare({ ...context, backend, ...(name === 'webgpu' ? { gpu: gpuStepEngine(backend) } : {}) });
      own.set(plugin.kernelName, (ready = prepare()));
    }
    let result: tf.KernelFunc | string;
    try {
      result = await ready;
    } catch (error) {
      result = `preparing it failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (typeof result === 'string') {
      statuses.push({ kernel: plugin.kernelName, registered: false, reason: result });
      continue;
    }
    const current = tf.getKernel(plugin.kernelName, name);
    if (current?.kernelFunc !== result) {
      // A new backend instance (e.g. after tf.removeBackend) brings a new function for the same name.
      if (current) tf.unregisterKernel(plugin.kernelName, name);
      tf.registerKernel({ kernelName: plugin.kernelName, backendName: name, kernelFunc: result });
    }
    statuses.push({ kernel: plugin.kernelName, registered: true });
  }
  return statuses;
}
