import { censoredMedian, median } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import type { SweepJob } from './expand.js';
import type { PackedRun } from './pack.js';
import type { SweepSpec } from './spec.js';

/** One job's outcome, read from its replica of a packed run. */
export interface JobResult {
  jobId: string;
  status: RunSummary['status'];
  learnedAtStep: number | null;
  /**
   * Where a job that did not learn stopped being watched (`censoredMedian`): the steps its run
   * trained, by when it is known not to have learned, and no more; +∞ for a replica that diverged
   * without learning, which is frozen and never will.
   */
  censoredAt: number;
  testAccuracy: number | null;
  /** 1 − accuracy, or the test MSE of a regression task; null before any evaluation. */
  testError: number | null;
  finalLoss: number;
  /** Its replica's loss or weights stopped being finite; it kept its last finite weights and scores. */
  diverged: boolean;
  /** The packed run's wall time divided by its replicas (the cost of this job within it). */
  wallSeconds: number;
}

/**
 * Splits a packed run's summary into its jobs' results (replica r ↔ jobIds[r]). A run of stream
 * learners alone is one job, whose verdict is its learners': learned once every learner has, at the
 * step the last of them did (a yes or no per job; the run's summary gives the share that learned
 * and their median step instead, the same with one learner).
 */
export function jobResults(run: PackedRun, summary: RunSummary): JobResult[] {
  if (run.config.model === undefined) {
    const { learners } = summary;
    const steps = learners.map((l) =>
      l.learnedAtSample === null ? null : Math.ceil(l.learnedAtSample / run.config.run.batchSize),
    );
    const learnedAtStep = steps.length > 0 && steps.every((s) => s !== null) ? Math.max(...(steps as number[])) : null;
    const accuracy = summary.testAccuracy;
    return run.jobIds.map((jobId) => ({
      jobId,
      status: summary.status,
      learnedAtStep,
      censoredAt: summary.steps,
      testAccuracy: accuracy,
      testError: accuracy === null ? null : 1 - accuracy,
      finalLoss: Number.NaN,
      diverged: false,
      wallSeconds: summary.wallSeconds / run.jobIds.length,
    }));
  }
  return run.jobIds.map((jobId, r) => {
    const replica = summary.replicas[r];
    // Records from before replicas failed alone have no divergedAtStep: there a diverged run
    // stopped whole, and its replicas that had not learned never would.
    const legacyDiverged =
      replica?.divergedAtStep === undefined && summary.status === 'diverged' && replica?.learnedAtStep == null;
    const diverged = (replica?.divergedAtStep ?? null) !== null || legacyDiverged;
    return {
      jobId,
      status: summary.status,
      learnedAtStep: replica?.learnedAtStep ?? null,
      // Frozen, a diverged replica never learns: the steps of its run (cut short where every
      // replica diverged) are not where it stopped being watched.
      censoredAt: diverged ? Number.POSITIVE_INFINITY : summary.steps,
      testAccuracy: replica?.testAccuracy ?? null,
      testError: replica !== undefined && Number.isFinite(replica.testError) ? replica.testError : null,
      finalLoss: replica?.finalLoss ?? Number.NaN,
      diverged,
      wallSeconds: summary.wallSeconds / run.jobIds.length,
    };
  });
}

/** Statistics over a set of jobs. */
export interface GroupStats {
  /** Axis values that define the group (seed excluded). */
  values: Record<string, unknown>;
  jobs: number;
  learned: number;
  /** Jobs whose replica diverged: their last finite scores are in the medians and means. */
  diverged: number;
  successRate: number;
  /**
   * Median over every job, one that did not learn counted as not learning up to the steps its run
   * trained (censored; Kaplan–Meier's median, `censoredMedian`), one that diverged as never
   * learning: null unless the median is reached. Where every job trained as long, that is the
   * median with a job that did not learn as +∞: null unless more than half learned. Over the
   * learned jobs alone, a cell where 3 of 8 seeds learned early would read as easier than one where
   * all 8 learned; counted as +∞ past its own budget, a job of a 200-step run would say "never" of
   * a per-axis row that pools 200 and 2,000 steps.
   */
  medianLearnedAtStep: number | null;
  medianWallSeconds: number;
  meanTestAccuracy: number | null;
  /** Median final test error over the jobs evaluated: the score of a regression sweep (test MSE). */
  medianTestError: number | null;
}

export interface SweepAggregate {
  sweep: string;
  jobs: number;
  /** One row per combination of the non-seed axes, in expansion order. */
  groups: GroupStats[];
  /** For each non-seed axis, one row per value (over every other axis). */
  byAxis: Record<string, GroupStats[]>;
}

function stats(values: Record<string, unknown>, results: JobResult[]): GroupStats {
  const learned = results.filter((r) => r.learnedAtStep !== null).length;
  const accs = results.map((r) => r.testAccuracy).filter((a): a is number => a !== null);
  const errors = results.map((r) => r.testError).filter((e): e is number => e !== null);
  return {
    values,
    jobs: results.length,
    learned,
    diverged: results.filter((r) => r.diverged).length,
    successRate: results.length ? learned / results.length : 0,
    medianLearnedAtStep: censoredMedian(
      results.map((r) => r.learnedAtStep),
      results.map((r) => r.censoredAt),
    ),
    medianWallSeconds: results.length ? median(results.map((r) => r.wallSeconds)) : 0,
    meanTestAccuracy: accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : null,
    medianTestError: errors.length ? median(errors) : null,
  };
}

/** Groups job results by axis values. Deterministic: the same results give the same aggregate. */
export function aggregateSweep(
  spec: SweepSpec,
  jobs: readonly SweepJob[],
  results: readonly JobResult[],
): SweepAggregate {
  const byJob = new Map(results.map((r) => [r.jobId, r]));
  const axes = spec.axes.map((a) => a.path).filter((p) => p !== 'seed');
  const keyOf = (job: SweepJob, paths: string[]) => JSON.stringify(paths.map((p) => job.values[p]));
  const collect = (paths: string[]) => {
    const order: string[] = [];
    const groups = new Map<string, { values: Record<string, unknown>; results: JobResult[] }>();
    for (const job of jobs) {
      const key = keyOf(job, paths);
      if (!groups.has(key)) {
        order.push(key);
        groups.set(key, { values: Object.fromEntries(paths.map((p) => [p, job.values[p]])), results: [] });
      }
      const r = byJob.get(job.id);
      if (r) groups.get(key)?.results.push(r);
    }
    return order.map((k) => {
      const g = groups.get(k) as { values: Record<string, unknown>; results: JobResult[] };
      return stats(g.values, g.results);
    });
  };
  return {
    sweep: spec.name,
    jobs: jobs.length,
    groups: collect(axes),
    byAxis: Object.fromEntries(axes.map((a) => [a, collect([a])])),
  };
}
