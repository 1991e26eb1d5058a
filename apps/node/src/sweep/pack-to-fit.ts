/**
 * Packing a sweep's jobs into replicated runs that fit their backend's memory. `packJobs` packs up
 * to 32 seeds into one run; 32 replicas of a big model (or of a large test set) can need more than
 * wasm's 4 GiB heap, or the adapter's limits, where 8 would fit. Such a pack is split in halves,
 * and again, until each part fits or holds one job, whose own memory problem the sweep's check then
 * reports (a config the user can change). The same machine gives the same packs, so a re-run finds
 * its records.
 */
import { ConfigError } from '@learnability/core';
import { packJobs } from '@learnability/presets';
import type { PackedRun, SweepJob } from '@learnability/presets';
import { checkRunFits } from '../commands/check-fits.js';

/** The packs, each split until it fits (`fits`), in the jobs' order; `split`: whether any was. */
export async function packToFit(
  jobs: readonly SweepJob[],
  fits: (run: PackedRun) => Promise<boolean>,
): Promise<{ runs: PackedRun[]; split: boolean }> {
  let split = false;
  const fitted = async (run: PackedRun): Promise<PackedRun[]> => {
    const count = run.jobIds.length;
    if (count === 1 || (await fits(run))) return [run];
    split = true;
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
 * Whether a packed run passes the memory check a run makes (`checkRunFits`), against the adapter
 * on webgpu. `elsewhere` (a Redis queue's workers train it): only wasm, whose heap is the same on
 * every machine, is checked, as the sweep's own check does.
 */
export async function runFits(run: PackedRun, elsewhere: boolean): Promise<boolean> {
  if (elsewhere && run.config.backend !== 'wasm') return true;
  try {
    await checkRunFits(run.config, true);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}
