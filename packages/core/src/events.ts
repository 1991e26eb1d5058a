/**
 * Typed run events. Library code never prints: it emits these and the apps render them.
 * Every per-replica figure is an array of length R.
 */

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

export interface LearnedEvent {
  type: 'learned';
  /** Replica index, or the name of a stream learner. */
  learner: number | string;
  step: number;
  samples: number;
}

export interface EndEvent {
  type: 'end';
  summary: RunSummary;
}

export type RunEvent = StartEvent | EvalEvent | LearnedEvent | EndEvent;

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

export interface RunSummary {
  runId: string;
  config: unknown;
  seed: number;
  versions: Record<string, string>;
  status: 'completed' | 'stopped' | 'diverged';
  message?: string;
  steps: number;
  samplesSeen: number;
  /** Median learned-at-step over replicas that learned, or null if none did. */
  learnedAtStep: number | null;
  /** Fraction of replicas that learned. */
  successRate: number;
  /** Mean test accuracy over replicas (sign and class tasks), else null. */
  testAccuracy: number | null;
  replicas: ReplicaSummary[];
  learners: StreamLearnerSummary[];
  /** Wall seconds of the run, over every session of a resumed run (the time between sessions left out). */
  wallSeconds: number;
  backend: string;
}
