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

/** What splitting did: the most seeds a pack that did not fit had, and the parts of the split packs. */
export interface PackSplit {
  seeds: number;
  parts: PackedRun[];
}

/** The packs, each split until it fits (`fits`), in the jobs' order; `split`: null when none was. */
export async function packToFit(
  jobs: readonly SweepJob[],
  fits: (run: PackedRun) => Promise<boolean>,
): Promise<{ runs: PackedRun[]; split: PackSplit | null }> {
  const fitted = async (run: PackedRun): Promise<PackedRun[]> => {
    const count = run.jobIds.length;
    if (count === 1 || (await fits(run))) return [run];
    const own = jobs.filter((j) => run.jobIds.includes(j.id));
    const parts: PackedRun[] = [];
    for (const half of packJobs(own, Math.ceil(count / 2))) parts.push(...(await fitted(half)));
    return parts;
  };
  const runs: PackedRun[] = [];
  const splitParts: PackedRun[] = [];
  let seeds = 0;
  for (const run of packJobs(jobs)) {
    const parts = await fitted(run);
    runs.push(...parts);
    if (parts.length > 1) {
      seeds = Math.max(seeds, run.jobIds.length);
      splitParts.push(...parts);
    }
  }
  const split: PackSplit | null = seeds > 0 ? { seeds, parts: splitParts } : null;
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
