/**
 * The memory check a run makes before anything is allocated, for the commands that plan runs
 * (`run`, `sweep`, the named experiments): a config whose test set, batches or parameters cannot
 * fit its backend is a ConfigError (one line, exit 2) before a dry run answers or anything trains.
 */
import { memoryLimits, setupBackend } from '@learnability/backends';
import { ConfigError } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { KERNELS, checkMemory, estimateMemory, resolve } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { runsOnWasm } from '../threads/threads-for-run.js';

/**
 * Checks `config`'s estimate against wasm's heap or this machine's memory (cpu); on webgpu, with
 * `askAdapter`, against the adapter's limits (it is asked for as a run would: a missing one is the
 * run's own one-line error). Returns the built parts (which hold no data yet) and the estimate.
 */
export async function checkRunFits(config: ResolvedConfig, askAdapter: boolean) {
  const parts = resolve(config);
  const memory = estimateMemory(parts);
  const { backend } = config;
  if (await runsOnWasm(backend))
    checkMemory(memory, await memoryLimits({ name: 'wasm', requested: backend, platform: 'node' }));
  else if (backend === 'cpu')
    checkMemory(memory, await memoryLimits({ name: 'cpu', requested: 'cpu', platform: 'node' }));
  else if (backend === 'webgpu' && askAdapter)
    checkMemory(memory, await memoryLimits(await setupBackend('webgpu', { kernels: KERNELS })));
  return { parts, memory };
}

/**
 * `checkRunFits` for each of several runs (a sweep's packed runs, an experiment's plans), every
 * problem of every run in one ConfigError, each path under its run's label (`task.n=20, seeds
 * 0..7: model.widths: …`). `elsewhere`: the runs train on other machines (a Redis queue's
 * workers), so only the runs that name wasm, whose heap is the same everywhere, are checked.
 */
export async function checkRunsFit(
  runs: readonly { label: string; config: ResolvedConfig }[],
  askAdapter: boolean,
  elsewhere: boolean,
): Promise<void> {
  const issues: ConfigIssue[] = [];
  for (const { label, config } of runs) {
    if (elsewhere && config.backend !== 'wasm') continue;
    try {
      await checkRunFits(config, askAdapter);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, path: `${label}: ${i.path}` })));
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
