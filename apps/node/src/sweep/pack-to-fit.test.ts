import { expandSweep, parseSweepSpec } from '@learnability/presets';
import type { PackedRun } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { packToFit } from './pack-to-fit.js';

const jobs = expandSweep(
  parseSweepSpec(
    { base: { extends: 'sparse-parity', learners: [] }, axes: { 'task.n': [20, 30], seed: '0..19' } },
    'x',
  ),
);
const shape = (runs: PackedRun[]) => runs.map((r) => [r.config.task.n, r.config.run.seed, r.jobIds.length]);

describe('packToFit', () => {
  it('keeps the packs that fit, as packJobs makes them', async () => {
    const { runs, split } = await packToFit(jobs, async () => true);
    expect(split).toBeNull();
    expect(shape(runs)).toEqual([
      [20, 0, 20],
      [30, 0, 20],
    ]);
  });

  it('halves a pack until each part fits, in seed order, each part a replicated run of its seeds', async () => {
    // n = 30 fits 6 replicas, n = 20 fits all 20: 20 → 10 → 5 seeds a run.
    const fits = async (r: PackedRun) => r.config.task.n === 20 || r.jobIds.length <= 6;
    const { runs, split } = await packToFit(jobs, fits);
    // Only the split pack's parts: the n = 20 pack was kept whole.
    expect([split?.seeds, split?.parts.map((r) => r.jobIds.length)]).toEqual([20, [5, 5, 5, 5]]);
    expect(shape(runs)).toEqual([
      [20, 0, 20],
      [30, 0, 5],
      [30, 5, 5],
      [30, 10, 5],
      [30, 15, 5],
    ]);
    for (const r of runs) expect(r.config.run.replicas).toBe(r.jobIds.length);
    // Every job in exactly one run, replica r of a run being the job of seed + r.
    const byId = new Map(jobs.map((j) => [j.id, j]));
    for (const r of runs)
      expect(r.jobIds.map((id) => byId.get(id)?.config.run.seed)).toEqual(
        r.jobIds.map((_, i) => r.config.run.seed + i),
      );
    expect(runs.flatMap((r) => r.jobIds).sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it('stops at one job a run, whose own problem the memory check then reports', async () => {
    const { runs } = await packToFit(jobs, async () => false);
    expect(runs).toHaveLength(40);
    expect(runs.every((r) => r.jobIds.length === 1 && r.config.run.replicas === 1)).toBe(true);
  });
});
