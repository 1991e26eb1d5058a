import type { ResolvedConfig } from '../validate.js';
import { stableHash } from './expand.js';
import type { SweepJob } from './expand.js';

/** Several jobs run as one replicated program: replica r is job `jobIds[r]` (seed = config.run.seed + r). */
export interface PackedRun {
  id: string;
  config: ResolvedConfig;
  jobIds: string[];
}

/**
 * Packs jobs that differ only in seed into replicated runs. Replica r of a run with seed s is
 * the one-replica run with seed s + r (core's replicaRngs; bit for bit on cpu and wasm, to
 * float32 rounding on webgpu), so only consecutive seeds pack; each pack holds at most `maxReplicas`. Order follows the jobs' order. Learned-at-step is
 * the lone run's; with stopWhenLearned, final scores are read when the whole pack has learned.
 */
export function packJobs(jobs: readonly SweepJob[], maxReplicas = 32): PackedRun[] {
  const groups = new Map<string, SweepJob[]>();
  for (const job of jobs) {
    const key = stableHash({ ...job.config, run: { ...job.config.run, seed: 0 } });
    const group = groups.get(key) ?? [];
    group.push(job);
    groups.set(key, group);
  }
  const runs: PackedRun[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.config.run.seed - b.config.run.seed);
    let pack: SweepJob[] = [];
    const flush = () => {
      const first = pack[0];
      if (!first) return;
      const config: ResolvedConfig = { ...first.config, run: { ...first.config.run, replicas: pack.length } };
      runs.push({ id: stableHash({ config, jobs: pack.map((j) => j.id) }), config, jobIds: pack.map((j) => j.id) });
      pack = [];
    };
    // Without a network there are no replicas to pack into (stream learners read one stream); a
    // trainer given its own seed (FA's and DFA's feedback) gives replica r seed + r, where a
    // separate run of each job would give every job that seed itself.
    const limit = job0HasModel(sorted) && !trainerSeeded(sorted) ? maxReplicas : 1;
    for (const job of sorted) {
      const last = pack[pack.length - 1];
      if (last && (job.config.run.seed !== last.config.run.seed + 1 || pack.length >= limit)) flush();
      pack.push(job);
    }
    flush();
  }
  return runs;
}

function trainerSeeded(jobs: readonly SweepJob[]): boolean {
  const seed = (jobs[0]?.config.trainer as { seed?: unknown } | undefined)?.seed;
  return seed !== undefined && seed !== null;
}

function job0HasModel(jobs: readonly SweepJob[]): boolean {
  return jobs[0]?.config.model !== undefined;
}
