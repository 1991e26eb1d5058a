import * as tf from '@tensorflow/tfjs-core';
import type {
  Batch,
  Model,
  Params,
  SavedTrainerState,
  SgdRule,
  StepResult,
  Trainer,
  TrainerState,
} from '@learnability/core';
import { lossAndGrads } from './gradients.js';
import type { LossName } from './losses.js';
import { disposeState, restoreChecked, saveState } from './trainer-state.js';

/**
 * Where a step's updates come from (optax's "gradient source"): the (R,) loss and one
 * gradient-shaped tensor per parameter. `completedSteps` lets a source follow a curriculum.
 * Runs inside a tidy.
 */
export type UpdateSource = (
  model: Model,
  params: Params,
  batch: Batch,
  completedSteps: number,
) => { loss: tf.Tensor; grads: Params };

/** The plain source: `tf.grad` of a per-replica loss. */
export const gradientOf =
  (loss: LossName): UpdateSource =>
  (model, params, batch) =>
    lossAndGrads(model, params, batch, loss);

/**
 * One parameter's update: from θ, its gradient g and its slots (e.g. a momentum buffer), return
 * the new θ and new slots. Runs inside a tidy; returned tensors are kept, the rest freed.
 */
export type ParamUpdate = (args: {
  name: string;
  index: number;
  param: tf.Tensor;
  grad: tf.Tensor;
  slots: Record<string, tf.Tensor>;
  /** 1-based step number of this update. */
  step: number;
}) => { param: tf.Tensor; slots?: Record<string, tf.Tensor> };

export interface GradientTrainerSpec {
  name: string;
  source: UpdateSource;
  /** Slots to create per parameter at init (e.g. { m: zerosLike }). Slot keys become `${param}.${slot}`. */
  slotNames: readonly string[];
  update: ParamUpdate;
  /**
   * The plain-SGD rule `update` implements, when it is one (no slots): the trainer then runs the
   * model's fused step (`Model.fusedSgdStep`) where the model covers it, the generic path elsewhere.
   */
  sgdRule?: SgdRule;
  /**
   * A whole step as one fused kernel of the model's, for a trainer that is not plain SGD (e.g.
   * the looped transformer's Adam step): `unsupported` says why it cannot run (asked every step:
   * the backend can change), `step` gives what the generic path would, to float tolerance.
   */
  fused?: FusedTrainerStep;
  describe: () => Record<string, unknown>;
  /** Called by `init` and `restoreState` with the model: throw when the trainer cannot train it. */
  checkModel?: (model: Model) => void;
}

/** A trainer's fused step (see `GradientTrainerSpec.fused`). */
export interface FusedTrainerStep {
  unsupported(model: Model): string | null;
  /** The new params and slots (the state's names) and the (R,) loss; `state` stays the caller's. */
  step(
    model: Model,
    state: TrainerState,
    batch: Batch,
  ): { params: Params; slots: Record<string, tf.Tensor>; loss: tf.Tensor };
}

/** A trainer as a chain: updates from `spec.source` (`gradientOf(loss)` for `tf.grad` of a loss), then a per-parameter rule. */
export function createGradientTrainer(spec: GradientTrainerSpec): Trainer {
  let model: Model | undefined;
  /** Why the fused step does not run (read per step: the backend can change), or null when it does. */
  const whyGeneric = (m: Model): string | null => {
    if (spec.fused) return spec.fused.unsupported(m);
    if (!spec.sgdRule) return `${spec.name} has no fused step here (only plain SGD, momentum 0, has one)`;
    if (!m.fusedSgdStep) return `model "${m.name}" has no fused step`;
    return m.fusedSgdStep.unsupported(spec.sgdRule);
  };
  return {
    name: spec.name,
    init(m: Model, params: Params): TrainerState {
      spec.checkModel?.(m);
      model = m;
      const slots: Record<string, tf.Tensor> = {};
      for (const [name, p] of Object.entries(params))
        for (const s of spec.slotNames) slots[`${name}.${s}`] = tf.zerosLike(p);
      return { params, slots, step: 0 };
    },
    step(state: TrainerState, batch: Batch): StepResult {
      if (model === undefined) throw new Error(`${spec.name}.step: call init(model, params) first`);
      const m = model;
      const stepNumber = state.step + 1;
      if (spec.fused && spec.fused.unsupported(m) === null) {
        const fused = spec.fused.step(m, state, batch);
        disposeState(state);
        return { state: { params: fused.params, slots: fused.slots, step: stepNumber }, loss: fused.loss };
      }
      if (spec.sgdRule && m.fusedSgdStep && whyGeneric(m) === null) {
        // One kernel for forward, loss, backward and update (the model's; same results to float tolerance).
        const fused = m.fusedSgdStep.step(state.params, batch, spec.sgdRule);
        disposeState(state);
        return { state: { params: fused.params, slots: {}, step: stepNumber }, loss: fused.loss };
      }
      const next = tf.tidy(() => {
        const { loss, grads } = spec.source(m, state.params, batch, state.step);
        const params: Params = {};
        const slots: Record<string, tf.Tensor> = {};
        Object.keys(state.params).forEach((name, index) => {
          const own: Record<string, tf.Tensor> = {};
          for (const s of spec.slotNames) own[s] = state.slots[`${name}.${s}`] as tf.Tensor;
          const out = spec.update({
            name,
            index,
            param: state.params[name] as tf.Tensor,
            grad: grads[name] as tf.Tensor,
            slots: own,
            step: stepNumber,
          });
          params[name] = out.param;
          for (const s of spec.slotNames) slots[`${name}.${s}`] = out.slots?.[s] ?? (own[s] as tf.Tensor).clone();
        });
        return { params, slots, loss };
      });
      disposeState(state);
      return { state: { params: next.params, slots: next.slots, step: stepNumber }, loss: next.loss };
    },
    dispose: disposeState,
    saveState,
    restoreState(m: Model, saved: SavedTrainerState): TrainerState {
      spec.checkModel?.(m);
      const expected: Record<string, readonly number[]> = {};
      for (const [name, p] of Object.entries(saved.params))
        for (const s of spec.slotNames) expected[`${name}.${s}`] = p.shape;
      const state = restoreChecked(spec.name, saved, expected);
      model = m;
      return state;
    },
    describe: spec.describe,
    describeStep() {
      if (model === undefined) return 'not initialised';
      const why = whyGeneric(model);
      return why === null
        ? `fused kernel (${model.name} model, ${spec.name}) on ${tf.getBackend()}`
        : `generic TF.js on ${tf.getBackend()}: ${why}`;
    },
  };
}
