/**
 * Packing a sweep's jobs into replicated runs that fit their backend's memory. `packJobs` packs up
 * to 32 seeds into one run; 32 replicas of a big model (or of a large test set) can need more than
 * wasm's 4 GiB heap, or the adapter's limits, where 8 would fit. Such a pack is split in halves,
 * and again, until each part fits or holds one job, whose own memory problem the sweep's check then
 * reports (a config the user can change). The same machine gives the same packs, so a re-run finds
 * its records.
 */
import { ConfigError } from '@learnability/core';
import { estimateMemory, packJobs, resolve } from '@learnability/presets';
import type { MemoryEstimate, PackedRun, SweepJob } from '@learnability/presets';
import { checkFits } from '../commands/check-fits.js';

/**
 * The packs, each split until it fits (`fits`), in the jobs' order; `split`: the most seeds a pack
 * that did not fit had (0: none was split).
 */
export async function packToFit(
  jobs: readonly SweepJob[],
  fits: (run: PackedRun) => Promise<boolean>,
): Promise<{ runs: PackedRun[]; split: number }> {
  let split = 0;
  const fitted = async (run: PackedRun): Promise<PackedRun[]> => {
    const count = run.jobIds.length;
    if (count === 1 || (await fits(run))) return [run];
    split = Math.max(split, count);
    const own = jobs.filter((j) => run.jobIds.includes(j.id));
    const parts: PackedRun[] = [];
    for (const half of packJobs(own, Math.ceil(count / 2))) parts.push(...(await fitted(half)));
    return parts;
  };
  const runs: PackedRun[] = [];
  for (const run of packJobs(jobs)) runs.push(...(await fitted(run)));
  return { runs, split };
}

/**
 * Whether a packed run passes the memory check a run makes (`checkFits`), against the adapter on
 * webgpu (probed once, in a child process), so that the packs fit where their runs will check.
 * A config that does not build is left to the sweep's own check, which names its run. `elsewhere`
 * (a Redis queue's workers train it): only wasm, whose heap is the same on every machine.
 */
export async function runFits(run: PackedRun, elsewhere: boolean): Promise<boolean> {
  if (elsewhere && run.config.backend !== 'wasm') return true;
  let memory: MemoryEstimate;
  try {
    memory = estimateMemory(resolve(run.config));
  } catch (e) {
    if (e instanceof ConfigError) return true;
    throw e;
  }
  try {
    await checkFits(memory, run.config.backend, true);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}
