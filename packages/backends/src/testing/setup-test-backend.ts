/**
 * `setupBackend` for tests: wasm starts on one thread.
 *
 * Test tensors are tiny, and vitest's workers already fill the cores: XNNPACK's pthreads (one per
 * core by default) spin while they wait, so on 2 cores two workers each running 2 wasm threads made
 * the wasm tests about 5× slower (looped-adam.test.ts: 53 s → 10 s on wasm alone). The threaded
 * path keeps its own test, in a child process (wasm/node-pthreads.test.ts). Where wasm already runs
 * in this worker, whatever its thread count, it is reused: threads are fixed once per process.
 */
import { setupBackend } from '../setup-backend.js';
import type { SetupBackendOptions } from '../setup-options.js';
import type { BackendInfo, BackendName } from '../types.js';
import { wasmThreadsRunning } from '../wasm/setup-wasm.js';

/** `setupBackend` for a test: the first wasm in a process on one thread, unless `options` says otherwise. */
export async function setupTestBackend(name: BackendName, options: SetupBackendOptions = {}): Promise<BackendInfo> {
  const firstWasm = name === 'wasm' && (await wasmThreadsRunning()) === undefined;
  return setupBackend(name, firstWasm ? { threads: 1, ...options } : options);
}
