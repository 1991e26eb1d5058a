import type { RunRecord } from '@learnability/experiment';

/** A network's outcome on one parity: per replica, samples and wall seconds to reach the threshold (null: not within the budget). */
export interface NetworkRun {
  preset: string;
  paramCount: number;
  samples: (number | null)[];
  seconds: (number | null)[];
  finalTestAccuracy: (number | null)[];
  /** Per replica, the evaluation step at which its loss or weights stopped being finite, or null. */
  divergedAtStep: (number | null)[];
  steps: number;
  samplesSeen: number;
  /** Samples at the run's first evaluation: a replica learned there learned somewhere in 1..this. */
  firstEvalSamples: number;
  wallSeconds: number;
  status: 'completed' | 'stopped' | 'diverged';
  /** Why it ended: learned, the step budget, the wall-clock budget, or every replica that did not learn diverged. */
  ended: 'learned' | 'steps' | 'time' | 'diverged';
}

/**
 * A network's outcome from its run record: per replica, the samples at which it reached the
 * learned threshold and the run's elapsed time at that evaluation. A run stopped early hit its
 * wall-clock budget (`maxSeconds`, checked at each evaluation).
 */
export function networkRun(preset: string, paramCount: number, record: RunRecord): NetworkRun {
  const s = record.end?.summary;
  if (!s) throw new Error(`run ${record.starts[0]?.runId ?? '?'} of ${preset} has no end line`);
  const elapsedAt = (samples: number | null) =>
    samples === null ? null : (record.evals.find((e) => e.samplesSeen === samples)?.elapsedSeconds ?? null);
  const learned = s.replicas.every((r) => r.learnedAtSamples !== null);
  // A run stops early once every replica has learned or diverged; with one diverged, that is why it ended.
  const settled = s.replicas.every((r) => r.learnedAtSamples !== null || (r.divergedAtStep ?? null) !== null);
  return {
    preset,
    paramCount,
    samples: s.replicas.map((r) => r.learnedAtSamples),
    seconds: s.replicas.map((r) => elapsedAt(r.learnedAtSamples)),
    finalTestAccuracy: s.replicas.map((r) => r.testAccuracy),
    divergedAtStep: s.replicas.map((r) => r.divergedAtStep ?? null),
    steps: s.steps,
    samplesSeen: s.samplesSeen,
    firstEvalSamples: record.evals[0]?.samplesSeen ?? 0,
    wallSeconds: s.wallSeconds,
    status: s.status,
    ended: learned
      ? 'learned'
      : s.status === 'diverged' || settled
        ? 'diverged'
        : s.status === 'stopped'
          ? 'time'
          : 'steps',
  };
}
