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
}

export interface EvalEvent {
  type: 'eval';
  step: number;
  samplesSeen: number;
  /** Mean training loss per replica over the steps since the last eval. */
  loss: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
  /** Test loss per replica (the task's loss on the test set). */
  testLoss: number[];
  /** Wall milliseconds per training step since the last eval. */
  msPerStep: number;
  /** Hidden-progress measures: ‖W − W₀‖ and task-provided ones, per replica. */
  measures: Record<string, number[]>;
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
  seed: number;
  learnedAtStep: number | null;
  testAccuracy: number;
  finalLoss: number;
}

export interface StreamLearnerSummary {
  name: string;
  learnedAtSample: number | null;
  testAccuracy: number;
}

export interface RunSummary {
  runId: string;
  status: 'completed' | 'stopped' | 'diverged';
  message?: string;
  steps: number;
  samplesSeen: number;
  /** Median learned-at-step over replicas that learned, or null if none did. */
  learnedAtStep: number | null;
  successRate: number;
  testAccuracy: number;
  replicas: ReplicaSummary[];
  learners: StreamLearnerSummary[];
  wallSeconds: number;
  backend: string;
}
