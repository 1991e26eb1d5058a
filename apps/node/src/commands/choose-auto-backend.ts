/**
 * `--backend auto` for a run: WebGPU only where it is measured faster for this run's own
 * training step on this machine, else wasm. A GPU adapter alone is no reason: on a real GPU a
 * small model's generic TF.js step can be several times slower than wasm (per-op dispatch), and a
 * software adapter always is. So with a hardware adapter, both backends time a short block of
 * this run's steps (after a warm-up that compiles everything) and the faster one runs it.
 */
import { setupBackend } from '@learnability/backends';
import type { BackendName, BackendStatus } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { configLoop } from '../bench/train-bench.js';
import { webGpuListed } from '../threads/threads-for-run.js';

export interface AutoChoice {
  backend: BackendName;
  /** One line for the run's start: what was chosen and why. */
  why: string;
}

/** Milliseconds per step of `config`'s training loop on the active backend: warm-up, then blocks for ≈ `budgetMs`. */
async function msPerStep(config: ResolvedConfig, budgetMs: number): Promise<{ ms: number; steps: number }> {
  const loop = configLoop({ ...config, learners: [] });
  try {
    await loop.block(3); // compiles pipelines / tiers up wasm
    let steps = 0;
    let block = 2;
    const t0 = performance.now();
    while (performance.now() - t0 < budgetMs) {
      await loop.block(block);
      steps += block;
      block = Math.min(block * 2, 64);
    }
    return { ms: (performance.now() - t0) / steps, steps };
  } finally {
    loop.dispose();
  }
}

export interface AutoOptions {
  /** Milliseconds of timed steps per backend. Default 600. */
  budgetMs?: number;
  /** WebGPU's status (tests pass one in). Default: `listBackends()`'s. */
  webgpu?: BackendStatus;
  /** wasm's setup (its thread count, fixed once per process, must be the run's). Default: {}. */
  setup?: { threads?: number };
}

export async function chooseAutoBackend(config: ResolvedConfig, options: AutoOptions = {}): Promise<AutoChoice> {
  const budgetMs = options.budgetMs ?? 600;
  const webgpu = options.webgpu ?? (await webGpuListed());
  if (!webgpu?.available)
    return { backend: 'wasm', why: `auto chose wasm: no WebGPU here (${webgpu?.reason ?? 'not listed'})` };
  if (webgpu.adapter?.isFallbackAdapter !== false)
    return {
      backend: 'wasm',
      why: `auto chose wasm: the only GPU adapter is software (${webgpu.adapter?.description ?? 'fallback'})`,
    };
  if (!config.model || !config.trainer) return { backend: 'wasm', why: 'auto chose wasm: this run trains no network' };
  const timed: Record<'webgpu' | 'wasm', { ms: number; steps: number }> = {
    webgpu: { ms: Infinity, steps: 0 },
    wasm: { ms: Infinity, steps: 0 },
  };
  for (const name of ['webgpu', 'wasm'] as const) {
    await setupBackend(name, { kernels: KERNELS, ...(name === 'wasm' ? options.setup : {}) });
    timed[name] = await msPerStep(config, budgetMs);
  }
  const backend = timed.webgpu.ms < timed.wasm.ms ? 'webgpu' : 'wasm';
  const other = backend === 'webgpu' ? 'wasm' : 'webgpu';
  const fmt = (n: 'webgpu' | 'wasm') => `${timed[n].ms.toFixed(2)} ms/step on ${n}`;
  return {
    backend,
    why: `auto chose ${backend}: ${fmt(backend)} against ${fmt(other)} (this run's step, timed over ${timed[backend].steps} and ${timed[other].steps} steps)`,
  };
}
