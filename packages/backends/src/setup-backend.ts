/**
 * `setupBackend`: pick, initialise and activate one TF.js backend, or say clearly why not.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, ConfigError } from '@learnability/core';
import { activate } from './activate.js';
import { loadGradients } from './gradients/load-gradients.js';
import { runtimePlatform } from './runtime.js';
import { DEFAULT_QUIET, checkSetupOptions } from './setup-options.js';
import type { SetupBackendOptions } from './setup-options.js';
import { BACKEND_REQUESTS, isBackendRequest } from './types.js';
import type { BackendInfo, BackendName, BackendRequest } from './types.js';
import { webGpuStatus } from './list-backends.js';
import { setupWasm } from './wasm/setup-wasm.js';
import { setupWebGpu } from './webgpu/setup-webgpu.js';
import { registerKernels } from './register-kernels.js';
import { WEBGPU_TILED_MATMUL } from './webgpu/kernels/tiled-matmul.js';
import { WEBGPU_UNPACK_SIGNS } from './webgpu/kernels/unpack-signs.js';

/** Kernels of this package's own, for any model: registered by every `setupBackend` for their backend. */
const BACKEND_KERNELS = [WEBGPU_TILED_MATMUL, WEBGPU_UNPACK_SIGNS];

/** `auto`: webgpu on a real (non-fallback) adapter, else wasm. A software GPU loses to wasm. */
async function resolveAuto(options: SetupBackendOptions): Promise<BackendName> {
  const webgpu = await webGpuStatus(options);
  return webgpu.available && webgpu.adapter?.isFallbackAdapter === false ? 'webgpu' : 'wasm';
}

/** Initialises `name` and returns its backend-specific facts. */
async function setupNamed(
  name: BackendName,
  options: SetupBackendOptions,
  quiet: boolean,
): Promise<Partial<BackendInfo>> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu', 'reinstall @tensorflow/tfjs-backend-cpu');
      return {};
    case 'wasm':
      return setupWasm({ threads: options.threads, wasmPaths: options.wasmPaths });
    case 'webgpu':
      return { adapter: await setupWebGpu(options.dawnOptions ?? [], quiet) };
  }
}

/**
 * Sets up the TF.js backend `name` (`cpu`, `wasm`, `webgpu`, or `auto`) and registers every
 * gradient, so `tf.grad` works even from plain Node ESM. Registers nothing before it is called.
 *
 * Then prepares and registers the fused kernels in `options.kernels` that are for this backend
 * (`BackendInfo.kernels` says which registered, and why not).
 *
 * Never falls back: a named backend that cannot run throws BackendUnavailableError naming the
 * fix, and the active backend is checked against the one asked for. Call it again to switch.
 */
export async function setupBackend(name: BackendRequest, options: SetupBackendOptions = {}): Promise<BackendInfo> {
  if (!isBackendRequest(name)) {
    throw new ConfigError([
      { path: 'backend', message: `expected one of ${BACKEND_REQUESTS.join(', ')}, got ${JSON.stringify(name)}` },
    ]);
  }
  checkSetupOptions(options);
  const quiet = options.quiet ?? DEFAULT_QUIET;
  // Before anything else of tfjs runs: PROD silences its Node.js banner and warnings.
  if (quiet) tf.env().set('PROD', true);
  await loadGradients();
  const target = name === 'auto' ? await resolveAuto(options) : name;
  const facts = await setupNamed(target, options, quiet);
  const active = tf.getBackend();
  if (active !== target) {
    throw new BackendUnavailableError(
      target,
      `tfjs is running "${active}" instead`,
      'this is a bug in @learnability/backends',
    );
  }
  const platform = runtimePlatform();
  // Backends' own generic kernels first (on webgpu: the tiled matMul, unpacking sign bits), then the models'.
  const kernels = await registerKernels(target, [...BACKEND_KERNELS, ...(options.kernels ?? [])], {
    threads: facts.threads ?? 1,
    platform,
  });
  return { ...facts, name: target, requested: name, platform, kernels };
}
