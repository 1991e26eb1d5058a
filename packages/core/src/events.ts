/**
 * Typed run events. Library code never prints: it emits these and the apps render them.
 * Every per-replica figure is an array of length R.
 */

/** A run's first event, before any step: its id, config, backend and sizes (`startStep` > 0 on resume). */
export interface StartEvent {
  type: 'start';
  runId: string;
  config: unknown;
  backend: string;
  replicas: number;
  paramCount: number;
  totalSteps: number;
  startStep: number;
  versions: Record<string, string>;
  /** How the backend runs, when the app says (e.g. wasm's thread count and how it was chosen). */
  backendDetail?: string;
  /** How the trainer runs a step here (`Trainer.describeStep`), when it says. */
  trainStep?: string;
}

/**
 * One evaluation of a trained run, every `evalEvery` steps and at the last step: per-replica
 * losses and scores, timing, and the hidden-progress measures. A replica that has diverged keeps
 * the test scores of its last finite evaluation. Runs of stream learners alone emit none.
 */
export interface EvalEvent {
  type: 'eval';
  step: number;
  samplesSeen: number;
  /** Mean training loss per replica over the steps since the last eval. */
  loss: number[];
  /** Accuracy per replica on the last training batch (its B examples, just trained on; online or from a finite set). Sign and class tasks, else null. */
  trainAccuracy: (number | null)[];
  /** Accuracy per replica on the fixed test set. Sign and class tasks, else null. */
  testAccuracy: (number | null)[];
  /** Test error per replica: 0–1 error for sign and class tasks, mean squared error for real ones. */
  testError: number[];
  /** Wall milliseconds per training step since the last eval: the step, its batch and the stream learners' work on it (GF(2) elimination), not evaluations or checkpoints. */
  msPerStep: number;
  /** Hidden-progress measures: ‖W − W₀‖ and task-provided ones, per replica. */
  measures: Record<string, number[]>;
  /** Wall seconds of the run so far, over every session of a resumed run (the time between sessions left out). */
  elapsedSeconds: number;
}

/** A replica or stream learner whose test accuracy first reached the run's `learnedThreshold`. */
export interface LearnedEvent {
  type: 'learned';
  /** Replica index, or the name of a stream learner. */
  learner: number | string;
  step: number;
  samples: number;
}

/** A run's last event, once it has completed, stopped or diverged; `summary` is what `runExperiment` returns. */
export interface EndEvent {
  type: 'end';
  summary: RunSummary;
}

/** Any event a run emits, told apart by `type`. */
export type RunEvent = StartEvent | EvalEvent | LearnedEvent | EndEvent;

/**
 * One replica's outcome in a `RunSummary`: when it learned (null: it did not), and its scores at
 * the last evaluation (for a diverged replica, its last finite one).
 */
export interface ReplicaSummary {
  replica: number;
  /** The seed a one-replica run would need to reproduce this replica. */
  seed: number;
  learnedAtStep: number | null;
  /** learnedAtStep × batch size. */
  learnedAtSamples: number | null;
  testAccuracy: number | null;
  testError: number;
  finalLoss: number;
  /**
   * The evaluation step at which this replica's loss or weights stopped being finite, or null.
   * A diverged replica is frozen at its last finite weights while the others train on; its
   * scores are those weights'. Absent in records written before replicas failed alone.
   */
  divergedAtStep?: number | null;
}

/** One stream learner's outcome in a `RunSummary` (e.g. GF(2) elimination's). */
export interface StreamLearnerSummary {
  name: string;
  /** Samples read when its test accuracy first reached the run's target, or null: not learned. */
  learnedAtSample: number | null;
  samplesSeen: number;
  testAccuracy: number;
  /** Why it did not learn (only when `learnedAtSample` is null), e.g. "the samples are inconsistent (label noise?)". */
  reason?: string;
  /** The learner's own counters, e.g. `{ rank, inconsistentSamples }`. */
  counts?: Record<string, number>;
}

/**
 * A run's outcome, as `runExperiment` returns it and its `end` event carries: how it ended
 * (`status`, with a `message` when there is more to say), the steps and samples it took, and the
 * verdict and scores of every replica and stream learner.
 */
export interface RunSummary {
  runId: string;
  config: unknown;
  seed: number;
  versions: Record<string, string>;
  status: 'completed' | 'stopped' | 'diverged';
  message?: string;
  steps: number;
  samplesSeen: number;
  /**
   * Median learned-at-step over replicas that learned, or null if none did. In a run of stream
   * learners alone (no network: `replicas` is empty), over its learners, each at the step of the
   * sample it learned from.
   */
  learnedAtStep: number | null;
  /** Fraction of replicas that learned; in a run of stream learners alone, of its learners. */
  successRate: number;
  /** Mean test accuracy over replicas (sign and class tasks), else null; in a run of stream learners alone, over its learners. */
  testAccuracy: number | null;
  /** One per network replica; empty in a run of stream learners alone. */
  replicas: ReplicaSummary[];
  learners: StreamLearnerSummary[];
  /** Wall seconds of the run, over every session of a resumed run (the time between sessions left out). */
  wallSeconds: number;
  backend: string;
}
