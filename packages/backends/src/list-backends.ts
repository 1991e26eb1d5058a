/**
 * Which backends can run here, without registering or initialising any of them.
 */
import type { BackendStatus } from './types.js';
import { adapterStatus, isGpuProblem } from './webgpu/gpu-access.js';

/** Options of `listBackends`. */
export interface ListBackendsOptions {
  /** Node only: options for Dawn's `create()` (see `SetupBackendOptions.dawnOptions`). Default: `[]`. */
  dawnOptions?: readonly string[];
}

/**
 * webgpu: available when an adapter exists (asking for one is the only real test). In Node the
 * question goes to Dawn in a child process: nothing is loaded here, and Dawn's native warnings go
 * to the debug log (LEARNABILITY_DEBUG=1), not the terminal.
 */
export async function webGpuStatus(options: ListBackendsOptions = {}): Promise<BackendStatus> {
  const probe = await adapterStatus(options.dawnOptions ?? []);
  return isGpuProblem(probe)
    ? { name: 'webgpu', available: false, reason: `${probe.reason}; ${probe.fix}` }
    : { name: 'webgpu', available: true, adapter: probe.adapter };
}

/**
 * Status of cpu, wasm and webgpu, in that order. cpu is always available; wasm when the engine
 * has WebAssembly; webgpu when a WebGPU adapter exists (in Node Dawn is asked once, in a child process).
 */
export async function listBackends(options: ListBackendsOptions = {}): Promise<BackendStatus[]> {
  const wasm: BackendStatus =
    typeof WebAssembly === 'object'
      ? { name: 'wasm', available: true }
      : { name: 'wasm', available: false, reason: 'this JavaScript engine has no WebAssembly; use --backend cpu' };
  return [{ name: 'cpu', available: true }, wasm, await webGpuStatus(options)];
}
