/**
 * The contracts every part of learnability implements. Types only. Where they depart from the
 * project's design card, and why: docs/design.md, "Contracts".
 *
 * Replicas: R independent networks trained as one tensor program. Every parameter tensor has
 * a leading replica axis R, inputs are (R, B, ...inputShape) and outputs (R, B, outputSize).
 * Tasks know nothing of replicas: the loop draws R·B samples and reshapes them.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { SgdRule } from './kernels.js';
import type { Rng } from './rng.js';

/** `vector`: x ∈ R^n. `sequence`: an in-context prompt of tokens, x ∈ R^(T × d). */
export type TaskLayout = 'vector' | 'sequence';

/**
 * `sign`: labels in {−1, +1}, accuracy = sign agreement. `real`: real targets, scored by MSE.
 * `class`: one output per class, the target's largest entry marks the class (e.g. one-hot − 0.1);
 * accuracy = argmax agreement, error = 1 − accuracy.
 */
export type OutputKind = 'sign' | 'real' | 'class';

/**
 * A batch of examples. Shapes without replicas: x (N, ...inputShape), y (N, outputSize).
 * With replicas (as the model sees them): x (R, B, ...inputShape), y (R, B, outputSize).
 */
export interface Batch {
  x: Tensor;
  y: Tensor;
  /** The same examples as plain arrays, when the task made them on the CPU (non-network learners read these). */
  host?: { x: Float32Array; y: Float32Array };
}

/** A learning problem: a distribution to sample from and a fixed, seeded test set. */
export interface Task {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputSize: number;
  readonly outputKind: OutputKind;
  readonly layout: TaskLayout;
  /**
   * n fresh examples drawn with `rng`: x (n, ...inputShape), y (n, outputSize). `step` is the
   * 1-based training step the loop draws them for (a task with a curriculum reads it); absent
   * for anything else, which then gets the task at full difficulty.
   */
  sample(n: number, rng: Rng, step?: number): Batch;
  /**
   * The same draw as `sample(n, rng)` as plain arrays, without making tensors. Tasks that sample
   * on the CPU provide it so the loop can pack R replicas' batches into one upload.
   */
  sampleHost?(n: number, rng: Rng, step?: number): { x: Float32Array; y: Float32Array };
  /**
   * For ±1 inputs: the same draw as `sampleHost(n, rng)` (the same values, the same advance of
   * `rng`) with x as packed sign bits, written into `out` — value j of the flattened
   * (n, ...inputShape) x is +1 where bit j % 32 of `out.words[j >> 5]` is set, else −1; `out.words`
   * holds ceil(n · inputSize / 32) words and `out.y` n · outputSize labels. 32× less to make and
   * upload than floats; written in place because the loop calls it once per replica per step.
   * The loop unpacks x on the device where the backend has the `UNPACK_SIGNS` kernel.
   */
  sampleSigns?(n: number, rng: Rng, out: { words: Uint32Array; y: Float32Array }, step?: number): void;
  /** A test set of `n` examples, the same for the same task config and `seed`. */
  testSet(n: number, seed: number): Batch;
  /**
   * Hidden-progress measures the task can read off a model's parameters (e.g. the weight a
   * dense net puts on the parity's hidden subset): each a (R,) tensor the caller owns and reads
   * asynchronously (WebGPU has no synchronous read back in Node). Optional.
   */
  measures?(params: Params): Record<string, Tensor>;
  /** Plain-data description (for run records). */
  describe(): Record<string, unknown>;
}

/** Named parameter tensors, each with a leading replica axis R. */
export type Params = Record<string, Tensor>;

/**
 * One layer's view during a forward pass (for local learning rules). Shapes (R, B, …): (R, B, width)
 * for an MLP or RNN layer, (R, B, T′, D) for a transformer block.
 */
export interface LayerTrace {
  /** The layer's input a_{l−1}. */
  input: Tensor;
  /** The pre-activation z_l = W_l a_{l−1} (+ b). */
  preActivation: Tensor;
  /** The layer's output a_l = σ(z_l) (equal to z_l for the readout). */
  output: Tensor;
}

/** A forward pass with every layer exposed. `output` is the model output (R, B, outputSize). */
export interface ForwardTrace {
  layers: LayerTrace[];
  output: Tensor;
}

/** An architecture. `init`/`apply` are pure: the model holds no tensors. */
export interface Model {
  readonly name: string;
  readonly replicas: number;
  readonly inputShape: readonly number[];
  readonly outputSize: number;
  /** Which task layouts this model accepts; a mismatch is a config error. */
  readonly layouts: readonly TaskLayout[];
  /** Trainable scalars of one replica. */
  readonly paramCount: number;
  /**
   * Fresh parameters, replica r drawn from `rngs[r]` alone (so replica r of a run equals a
   * one-replica run with the same generator). `rngs.length` must equal `replicas`.
   */
  init(rngs: readonly Rng[]): Params;
  /** x (R, B, ...inputShape) → outputs (R, B, outputSize). */
  apply(params: Params, x: Tensor): Tensor;
  /** The same forward pass, every layer's input, pre-activation and output exposed. */
  applyLayers(params: Params, x: Tensor): ForwardTrace;
  /** Plain-data description (for run records). */
  describe(): Record<string, unknown>;
  /**
   * Optional: a whole plain-SGD step (forward, loss, backward, update) as one fused kernel,
   * which a trainer uses in place of its generic TF.js step when `unsupported` returns null.
   */
  readonly fusedSgdStep?: FusedSgdStep;
  /**
   * Optional: which parts of the generic TF.js step run as the active backend's own kernels
   * (`the gated update runs as a wasm kernel`), or null where none do. Asked when a trainer
   * describes its step (the backend can change).
   */
  describeKernels?(): string | null;
}

/** A model's fused SGD step; it must give the generic path's results to float tolerance. */
export interface FusedSgdStep {
  /** Why this rule on the current backend is not covered (the trainer then runs the generic path), or null. */
  unsupported(rule: SgdRule): string | null;
  /** New params and the (R,) loss; the caller keeps ownership of `params` and `batch`. */
  step(params: Params, batch: Batch, rule: SgdRule): { params: Params; loss: Tensor };
}

/**
 * What a trainer keeps between steps. Every tensor lives in `params` or `slots` (momentum
 * buffers, Adam moments, a frozen copy of θ₀, …), so a state can be saved and restored
 * generically. Each tensor has the leading replica axis R.
 */
export interface TrainerState {
  params: Params;
  slots: Record<string, Tensor>;
  step: number;
}

/**
 * A trainer state as plain named tensors, what a checkpoint stores: `saveState` gives it and
 * `restoreState` takes it back. Names are the trainer's own; callers only carry them.
 */
export interface SavedTrainerState {
  step: number;
  params: Params;
  slots: Record<string, Tensor>;
}

/** The result of one training step. `loss` is a (R,) tensor the caller owns; it stays on the device. */
export interface StepResult<S extends TrainerState = TrainerState> {
  state: S;
  loss: Tensor;
}

/**
 * An optimiser or learning rule as an optax-style pure pair. `step` takes ownership of the old
 * state (it disposes what it replaces) and returns the new one. A backprop-free rule is a
 * trainer that never calls `tf.grad`.
 */
export interface Trainer<S extends TrainerState = TrainerState> {
  readonly name: string;
  /** Takes ownership of `params`. */
  init(model: Model, params: Params): S;
  step(state: S, batch: Batch): StepResult<S>;
  /** Frees every tensor the state holds. */
  dispose(state: S): void;
  /**
   * Everything `state` holds, for a checkpoint. The tensors are the state's own, not copies: read
   * them before the next `step`, and do not dispose them.
   */
  saveState(state: S): SavedTrainerState;
  /**
   * The state `saveState` described (e.g. decoded from a checkpoint), bound to `model` as `init`
   * binds it: training goes on exactly as it would have from the saved state. Takes ownership of
   * the tensors; throws a `path: message` error when they do not fit this trainer and model.
   */
  restoreState(model: Model, saved: SavedTrainerState): S;
  /** Plain-data description (for run records). */
  describe(): Record<string, unknown>;
  /** Optional: how `step` runs with the model given to `init` on the current backend (for records), e.g. "fused kernel …" or "generic TF.js (why)". */
  describeStep?(): string;
  /**
   * Optional: the one kind of target its loss reads, e.g. `sign` for hinge, logistic or
   * correlation (a loss of y·ŷ), which trains towards nothing on real or one-hot targets. Left
   * out: any. `runExperiment` refuses a task of another `outputKind`.
   */
  readonly targets?: OutputKind;
}

/**
 * A learner that is not a network (e.g. GF(2) elimination): it reads the same sample stream
 * from the host arrays and says when it has settled on an answer. Whether it has *learned* is the
 * run's call, by the networks' rule: its held-out test accuracy reaches the run's target.
 */
export interface StreamLearner {
  readonly name: string;
  /** Reads examples x (N·d) row-major and labels y (N); returns true while the learner has settled on an answer. */
  observe(x: Float32Array, y: Float32Array): boolean;
  /** Samples read so far. */
  readonly samplesSeen: number;
  /** Samples read when the learner first settled on an answer (e.g. elimination's full rank), or null. */
  readonly settledAtSample: number | null;
  /** Accuracy on a held-out set (host arrays): the verdict's input, and the record's. */
  accuracy(x: Float32Array, y: Float32Array): number;
  /** Counters worth reporting (e.g. `{ rank, inconsistentSamples }`), for the record. */
  counts?(): Record<string, number>;
  /** Why its answer may be wrong, from what it read (e.g. "the samples are inconsistent (label noise?)"), or null. */
  diagnosis?(): string | null;
  describe(): Record<string, unknown>;
  /** Everything it has learned, as JSON-safe data: checkpoints carry it so a resumed run continues the learner. */
  saveState(): unknown;
  /** Takes back `saveState`'s data (from a learner of the same config); throws on data that does not fit. */
  restoreState(state: unknown): void;
}
