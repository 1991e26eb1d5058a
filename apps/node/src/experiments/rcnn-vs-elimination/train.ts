import type { RunRecord } from '@learnability/experiment';

/** A network's outcome on one parity: per replica, samples and wall seconds to reach the threshold (null: not within the budget). */
export interface NetworkRun {
  preset: string;
  paramCount: number;
  samples: (number | null)[];
  seconds: (number | null)[];
  finalTestAccuracy: (number | null)[];
  steps: number;
  samplesSeen: number;
  /** Samples at the run's first evaluation: a replica learned there learned somewhere in 1..this. */
  firstEvalSamples: number;
  wallSeconds: number;
  status: 'completed' | 'stopped' | 'diverged';
  /** Why it ended: learned, the step budget, or the wall-clock budget. */
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
  return {
    preset,
    paramCount,
    samples: s.replicas.map((r) => r.learnedAtSamples),
    seconds: s.replicas.map((r) => elapsedAt(r.learnedAtSamples)),
    finalTestAccuracy: s.replicas.map((r) => r.testAccuracy),
    steps: s.steps,
    samplesSeen: s.samplesSeen,
    firstEvalSamples: record.evals[0]?.samplesSeen ?? 0,
    wallSeconds: s.wallSeconds,
    status: s.status,
    ended: s.status === 'diverged' ? 'diverged' : learned ? 'learned' : s.status === 'stopped' ? 'time' : 'steps',
  };
}
