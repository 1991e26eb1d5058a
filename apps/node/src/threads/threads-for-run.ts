import { listBackends, loadGradients } from '@learnability/backends';
import type { BackendRequest, BackendStatus } from '@learnability/backends';
import type { ResolvedConfig } from '@learnability/presets';
import { chooseWasmThreads } from './choose-threads.js';

/** The wasm thread count a run sets up with, and the words for its start line. */
export interface RunThreads {
  /** For `setupBackend`'s `threads`; undefined when the run is not on wasm. */
  threads: number | undefined;
  /** "1 thread (--threads)", or how the count was measured; undefined off wasm. */
  note: string | undefined;
}

/** WebGPU's entry of `listBackends()` (Dawn is probed once per process, in a child process). */
export const webGpuListed = async (): Promise<BackendStatus | undefined> =>
  (await listBackends()).find((b) => b.name === 'webgpu');

/** Whether `backend` sets up wasm: named, or `auto` without a real (non-fallback) GPU adapter. */
export async function runsOnWasm(backend: BackendRequest): Promise<boolean> {
  if (backend !== 'auto') return backend === 'wasm';
  const webgpu = await webGpuListed();
  return !(webgpu?.available && webgpu.adapter?.isFallbackAdapter === false);
}

/**
 * `--threads N` when given; else, on wasm or auto, the count measured fastest for this run's own
 * step (`chooseWasmThreads`), or 1 for a run without a network. Auto measures on a machine with a
 * GPU too: it may choose wasm there (the parity model on an H200), and times wasm against WebGPU
 * at this count, which is fixed once per process. The dense fused kernel still picks how many of
 * these threads it uses.
 */
export async function threadsForRun(config: ResolvedConfig, flag: number | undefined): Promise<RunThreads> {
  // A given count is wasm's; with auto, wherever auto may choose wasm (on a machine with a GPU too).
  if (flag !== undefined)
    return config.backend === 'auto' || config.backend === 'wasm'
      ? { threads: flag, note: `${flag} thread${flag === 1 ? '' : 's'} (--threads)` }
      : { threads: undefined, note: undefined };
  if (config.backend !== 'wasm' && config.backend !== 'auto') return { threads: undefined, note: undefined };
  // Stream learners only (parity-elimination): no network step to time, and none that threads would speed up.
  if (!config.model) return { threads: 1, note: '1 thread: no network step to time' };
  try {
    // While the probes set up: this process's TF.js gradients, which every run loads and the timing must not overlap.
    const choice = await chooseWasmThreads(config, undefined, loadGradients());
    return { threads: choice.threads, note: choice.note };
  } catch (e) {
    // The run itself will say what is wrong with it; the thread count falls back to the backend's default.
    return {
      threads: undefined,
      note: `the default threads: timing the step failed (${e instanceof Error ? e.message : String(e)})`,
    };
  }
}
