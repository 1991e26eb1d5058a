/**
 * The webgpu backend: `navigator.gpu` in a browser; in Node the same tfjs backend on Dawn.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '@learnability/core';
import { activate } from '../activate.js';
import type { GpuAdapterSummary } from '../types.js';
import { isGpuProblem, probeAdapter } from './gpu-access.js';
import { guardMatMulReads } from './guard-matmul-reads.js';
import type { GpuAccess } from './gpu-access.js';

/**
 * Node: put Dawn's globals (GPUBufferUsage, GPUMapMode, …) on globalThis and Dawn's GPU on
 * `navigator.gpu`. tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when it
 * is first imported, so this runs before that import. Nothing already global is overwritten.
 */
function installDawn(access: GpuAccess): void {
  for (const [key, value] of Object.entries(access.globals)) {
    if (!(key in globalThis)) Reflect.set(globalThis, key, value);
  }
  let nav: unknown = Reflect.get(globalThis, 'navigator');
  if (typeof nav !== 'object' || nav === null) {
    nav = {};
    Reflect.set(globalThis, 'navigator', nav);
  }
  if (typeof nav === 'object' && nav !== null) {
    Object.defineProperty(nav, 'gpu', { value: access.gpu, configurable: true, writable: true });
  }
}

/** tfjs-backend-webgpu warns once on the console for `dataSync()` and for profiling without timestamps. */
function silenceWebGpuWarnings(): void {
  const backend = tf.backend();
  Reflect.set(backend, 'hasReadSyncWarned', true);
  Reflect.set(backend, 'hasTimestampQueryWarned', true);
}

/**
 * Probes the adapter (BackendUnavailableError when none), then initialises and activates webgpu,
 * with its matMul programs guarded (guard-matmul-reads.ts).
 */
export async function setupWebGpu(dawnOptions: readonly string[], quiet: boolean): Promise<GpuAdapterSummary> {
  const probe = await probeAdapter(dawnOptions);
  if (isGpuProblem(probe)) throw new BackendUnavailableError('webgpu', probe.reason, probe.fix);
  if (probe.access.fromDawn) installDawn(probe.access);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') == null) {
    throw new BackendUnavailableError(
      'webgpu',
      '@tensorflow/tfjs-backend-webgpu registered no backend (it was imported before navigator.gpu existed)',
      "call setupBackend('webgpu') before importing @tensorflow/tfjs-backend-webgpu yourself",
    );
  }
  await activate('webgpu', 'check the GPU driver, or use --backend wasm');
  // Before the first matMul compiles: tfjs 4.22's batched matMul lets a NaN in one batch reach another.
  guardMatMulReads(tf.backend());
  if (quiet) silenceWebGpuWarnings();
  return probe.adapter;
}
