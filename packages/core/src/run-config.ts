/**
 * The plain-data description of one run (JSON / preset / URL query). The schema that validates
 * it, and the names it may use, live in `@learnability/presets`.
 */

/** A named part (task, model or trainer) and its options. */
export interface PartConfig {
  name: string;
  [option: string]: unknown;
}

/** How the loop runs. Each field's default and doc: `RUN_SCHEMA` in `@learnability/experiment`. */
export interface RunOptions {
  /** Training steps (one step = one batch per replica). */
  steps: number;
  /** Examples per replica per step. */
  batchSize: number;
  /** Evaluate every this many steps. */
  evalEvery: number;
  /** Size of the fixed, seeded test set. */
  testSize: number;
  /** Test rows per forward pass at an evaluation: what bounds its memory. */
  evalChunk: number;
  /** Base seed: replica r uses seed + r. */
  seed: number;
  /** Independent networks trained as one batched program. */
  replicas: number;
  /**
   * null: fresh samples every step (online). A number: a fixed training set of that size, its
   * batches drawn with replacement (or walked in shuffled epochs with `shuffle`).
   */
  trainSetSize: number | null;
  /**
   * Finite training sets only. true: each replica walks its set in a fresh seeded order every
   * epoch (each example once per epoch); false: each batch is drawn uniformly with replacement.
   */
  shuffle: boolean;
  /** Test accuracy at which a replica counts as having learned. */
  learnedThreshold: number;
  /** Stop once every replica (and every stream learner) has learned. */
  stopWhenLearned: boolean;
}

export interface RunConfig {
  task: PartConfig;
  /** Absent (with `trainer`) for a run of stream learners alone. */
  model?: PartConfig;
  trainer?: PartConfig;
  run: RunOptions;
  /** TF.js backend: `auto`, `cpu`, `wasm` or `webgpu`. */
  backend?: string;
  /** Non-network learners run on the same sample stream (e.g. `gf2-elimination`). */
  learners?: PartConfig[];
}
