/**
 * The memory check a run makes before anything is allocated, for the commands that plan runs
 * (`run`, `sweep`, the named experiments): a config whose test set, batches or parameters cannot
 * fit its backend is a ConfigError (one line, exit 2) before a dry run answers or anything trains.
 */
import { memoryLimits, setupBackend } from '@learnability/backends';
import type { BackendRequest } from '@learnability/backends';
import { ConfigError } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { KERNELS, checkMemory, estimateMemory, resolve } from '@learnability/presets';
import type { MemoryEstimate, ResolvedConfig } from '@learnability/presets';
import { runsOnWasm, webGpuListed } from '../threads/threads-for-run.js';

/**
 * Checks `memory` against wasm's heap or this machine's memory (cpu) where `backend` (a request:
 * auto too) runs on them; on webgpu, with `askAdapter`, against the adapter's limits, read from
 * the child-process probe that `learnability backends` uses (Dawn in this process printed its
 * limit warnings on a dry run). A missing adapter is set up as a run would, for the run's own
 * one-line error.
 */
export async function checkFits(memory: MemoryEstimate, backend: BackendRequest, askAdapter: boolean): Promise<void> {
  if (await runsOnWasm(backend))
    checkMemory(memory, await memoryLimits({ name: 'wasm', requested: backend, platform: 'node' }));
  else if (backend === 'cpu')
    checkMemory(memory, await memoryLimits({ name: 'cpu', requested: 'cpu', platform: 'node' }));
  else if (backend === 'webgpu' && askAdapter) {
    const probed = await webGpuListed();
    const info =
      probed?.available && probed.adapter
        ? { name: 'webgpu' as const, requested: 'webgpu' as const, platform: 'node' as const, adapter: probed.adapter }
        : await setupBackend('webgpu', { kernels: KERNELS });
    checkMemory(memory, await memoryLimits(info));
  }
}

/** `checkFits` of `config`'s estimate; returns the built parts (which hold no data yet) and the estimate. */
export async function checkRunFits(config: ResolvedConfig, askAdapter: boolean) {
  const parts = resolve(config);
  const memory = estimateMemory(parts);
  await checkFits(memory, config.backend, askAdapter);
  return { parts, memory };
}

/**
 * Several runs' problems as one list, each said once under the labels of the runs it is in
 * (`looped: trainer.lr: …`, `looped | standard: run.batchSize: …`; past three runs, the first and a
 * count): a flag that reaches every run is one issue, not one per run.
 */
export function issuesOfRuns(
  byRun: readonly (readonly [label: string, issues: readonly ConfigIssue[]])[],
): ConfigIssue[] {
  const runsOf = new Map<string, { issue: ConfigIssue; labels: string[] }>();
  for (const [label, issues] of byRun)
    for (const issue of issues) {
      const id = JSON.stringify([issue.path, issue.message]);
      const seen = runsOf.get(id) ?? { issue, labels: [] };
      seen.labels.push(label);
      runsOf.set(id, seen);
    }
  return [...runsOf.values()].map(({ issue, labels }) => {
    // ' | ' between labels: a sweep's have commas of their own (`task.n=20, seeds 0..7`).
    const where = labels.length <= 3 ? labels.join(' | ') : `${labels[0]} and ${labels.length - 1} other runs`;
    return { ...issue, path: `${where}: ${issue.path}` };
  });
}

/**
 * `checkRunFits` for each of several runs (a sweep's packed runs, an experiment's plans), every
 * problem of every run in one ConfigError (`issuesOfRuns`). `elsewhere`: the runs train on other
 * machines (a Redis queue's workers), so only the runs that name wasm, whose heap is the same
 * everywhere, are checked.
 */
export async function checkRunsFit(
  runs: readonly { label: string; config: ResolvedConfig }[],
  askAdapter: boolean,
  elsewhere: boolean,
): Promise<void> {
  const byRun: [string, ConfigIssue[]][] = [];
  for (const { label, config } of runs) {
    if (elsewhere && config.backend !== 'wasm') continue;
    try {
      await checkRunFits(config, askAdapter);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      byRun.push([label, e.issues]);
    }
  }
  if (byRun.length > 0) throw new ConfigError(issuesOfRuns(byRun));
}
