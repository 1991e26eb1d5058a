import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError, assert, showValue } from '@learnability/core';
import type {
  Batch,
  Model,
  OutputKind,
  Params,
  SavedTrainerState,
  StepResult,
  Trainer,
  TrainerState,
} from '@learnability/core';
import { lossAndGrads } from './gradients.js';
import { checkLossName } from './losses.js';
import type { GradientTransformation } from './transforms.js';
import type { LossName } from './losses.js';

/**
 * Where a step's updates come from: the (R,) loss and one gradient-shaped tensor per parameter,
 * inside a tidy. `completedSteps` is for a curriculum; `slots` (the state's) for `spec.fixed` tensors.
 */
export type UpdateSource = (
  model: Model,
  params: Params,
  batch: Batch,
  completedSteps: number,
  slots: Record<string, tf.Tensor>,
) => { loss: tf.Tensor; grads: Params };

/** The plain source: `tf.grad` of a per-replica loss. */
export const gradientOf = (loss: LossName): UpdateSource => {
  checkLossName(loss);
  return (model, params, batch) => lossAndGrads(model, params, batch, loss);
};

/**
 * What `createGradientTrainer` builds a trainer from: where the updates come from (`source`), the
 * per-parameter chain that turns them into the change of θ (`transform`), and the optional fused
 * paths a backend may run instead. sgd, adam, noisy-gd, align and looped-adam are built this way.
 */
export interface GradientTrainerSpec {
  name: string;
  source: UpdateSource;
  /** The per-parameter chain from the source's gradient to the update added to θ (e.g. `chain(trace(μ), scale(−lr))`). */
  transform: GradientTransformation;
  /** AdamW's decoupled decay c = η·λ, after the update: θ ← (θ + u) − c·θ_t (in u it would round differently). Default 0. */
  decoupledDecay?: number;
  /** Tensors the source reads and no step changes (e.g. Align-zero's θ₀): extra slots made at init, carried over as they are. */
  fixed?: (model: Model, params: Params) => Record<string, tf.Tensor>;
  /**
   * A whole step as one fused kernel of the model's (e.g. plain SGD's `Model.fusedSgdStep`, the
   * looped transformer's Adam step): `unsupported` says why it cannot run (asked every step: the
   * backend can change), `step` gives what the generic path would, to float tolerance.
   */
  fused?: FusedTrainerStep;
  /**
   * The whole `transform` chain and the decoupled decay for every parameter at once, as a kernel
   * of the backend's where it has one (Adam's `ADAM_UPDATE` on webgpu); elsewhere the chain runs.
   */
  fusedUpdate?: FusedUpdate;
  describe: () => Record<string, unknown>;
  /** The one kind of target its loss reads (core's `Trainer.targets`; `targetsOf(loss)`), or any. */
  targets?: OutputKind;
  /** Called by `init` and `restoreState` with the model: throw when the trainer cannot train it. */
  checkModel?: (model: Model) => void;
}

/** A trainer's fused step (`GradientTrainerSpec.fused`); `step` runs only where `unsupported` is null. */
export interface FusedTrainerStep {
  unsupported(model: Model): string | null;
  /** The new params and slots (the state's names) and the (R,) loss; `state` stays the caller's. */
  step(model: Model, state: TrainerState, batch: Batch): StepParts;
}

/** A trainer's update of every parameter as one kernel (`GradientTrainerSpec.fusedUpdate`). */
export interface FusedUpdate {
  /** Whether it runs on the active backend (asked every step: the backend can change). */
  ready(): boolean;
  /** What runs, for `describeStep` ("Adam's update of every parameter runs as one webgpu kernel"). */
  describe(): string;
  /** θ_{t+1} and the chain's slots (`<param>.<slot>`) from θ_t, the gradients and the state's slots, at 1-based `step`. */
  update(
    params: Params,
    grads: Params,
    slots: Record<string, tf.Tensor>,
    step: number,
  ): { params: Params; slots: Record<string, tf.Tensor> };
}

/** A step's new params and slots and its (R,) loss. */
export type StepParts = { params: Params; slots: Record<string, tf.Tensor>; loss: tf.Tensor };

/** A record of live tensors, or a one-line error naming `what` it must be and, if one was freed, `freed`'s why. */
function checkTensors(at: string, record: unknown, what: string, freed: string): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new LearnabilityError(`${at} must be ${what}, but got ${showValue(record)}`);
  for (const [name, t] of Object.entries(record)) {
    if (!(t instanceof tf.Tensor))
      throw new LearnabilityError(`${at}.${name} must be a tensor (${what}), but got ${showValue(t)}`);
    if (t.isDisposed) throw new LearnabilityError(`${at}.${name} was disposed: ${freed}`);
  }
}

/** What a freed tensor of a state says: the usual cause is a state stepped twice. */
const CONSUMED = 'a step consumes the state it is given; step the state it returned';

/** `step`'s arguments: a state from init or an earlier step, not yet stepped, and a batch of tensors. */
function checkStepInput(name: string, state: TrainerState, batch: Batch): void {
  const at = `${name}.step(state, batch)`;
  if (typeof state !== 'object' || state === null || !Number.isInteger(state.step))
    throw new LearnabilityError(
      `${at}: state must be what init(model, params) or the last step returned ({ params, slots, step }), but got ${showValue(state)}`,
    );
  checkTensors(`${at}: state.params`, state.params, "the state's parameters", CONSUMED);
  checkTensors(`${at}: state.slots`, state.slots, "the state's slots", CONSUMED);
  if (typeof batch !== 'object' || batch === null || !(batch.x instanceof tf.Tensor) || !(batch.y instanceof tf.Tensor))
    throw new LearnabilityError(
      `${at}: batch must be { x, y } tensors with the replica axis first (R, B, …), but got ${batch === null || typeof batch !== 'object' ? showValue(batch) : `{ ${Object.keys(batch).join(', ')} }`}`,
    );
  checkTensors(`${at}: batch`, { x: batch.x, y: batch.y }, 'a batch of tensors', 'the batch was freed before the step');
}

/**
 * A trainer as optax builds one: updates from `spec.source` (`gradientOf(loss)` for `tf.grad` of a
 * loss), through the per-parameter `spec.transform` chain, added to θ.
 */
export function createGradientTrainer(spec: GradientTrainerSpec): Trainer {
  // Its source and transform are the trainer: without them every step failed on a property read.
  assert(
    typeof spec?.source === 'function' && typeof spec.transform?.update === 'function',
    () =>
      `createGradientTrainer: expected { name, source, transform } (transform a chain such as chain(scale(-lr))), but got ${showValue(spec)}`,
  );
  let model: Model | undefined;
  const chainSlots = spec.transform.slots;
  const decay = spec.decoupledDecay ?? 0;
  /** A fresh state's slots: the fixed tensors, and zeros for each chain slot of each parameter. */
  const freshSlots = (m: Model, params: Params): Record<string, tf.Tensor> => {
    const slots = spec.fixed?.(m, params) ?? {};
    for (const [name, p] of Object.entries(params)) for (const s of chainSlots) slots[`${name}.${s}`] = tf.zerosLike(p);
    return slots;
  };
  /** One step's new params, chain slots and (R,) loss; `state` stays the caller's. */
  const compute = (m: Model, state: TrainerState, batch: Batch): StepParts => {
    if (spec.fused?.unsupported(m) === null) return spec.fused.step(m, state, batch);
    const step = state.step + 1;
    return tf.tidy(() => {
      const { loss, grads } = spec.source(m, state.params, batch, state.step, state.slots);
      if (spec.fusedUpdate?.ready())
        return { ...spec.fusedUpdate.update(state.params, grads, state.slots, step), loss };
      const params: Params = {};
      const slots: Record<string, tf.Tensor> = {};
      Object.entries(state.params).forEach(([name, param], index) => {
        const own = Object.fromEntries(chainSlots.map((s) => [s, state.slots[`${name}.${s}`] as tf.Tensor]));
        const out = spec.transform.update({ name, index, param, updates: grads[name] as tf.Tensor, slots: own, step });
        const moved = tf.add(param, out.updates);
        params[name] = decay > 0 ? tf.sub(moved, tf.mul(decay, param)) : moved;
        for (const s of chainSlots) slots[`${name}.${s}`] = out.slots?.[s] ?? (own[s] as tf.Tensor).clone();
      });
      return { params, slots, loss };
    });
  };
  /**
   * A trainer steps the one model it was given (the closure holds it): a second model given to the
   * same trainer would have been stepped through the first state's path silently.
   */
  const bind = (method: string, m: Model) => {
    if (typeof m !== 'object' || m === null || typeof m.apply !== 'function')
      throw new LearnabilityError(
        `${spec.name}.${method}: expected a model (createDense(…), createRnn(…), …) first, but got ${typeof m === 'function' ? 'a function (the factory itself?)' : String(m)}`,
      );
    if (model !== undefined && model !== m)
      throw new LearnabilityError(
        `${spec.name}.${method}: this trainer already trains another model ("${model.name}"); create one trainer per model`,
      );
  };
  return {
    name: spec.name,
    ...(spec.targets ? { targets: spec.targets } : {}),
    init(m: Model, params: Params): TrainerState {
      bind('init', m);
      spec.checkModel?.(m);
      checkTensors(
        `${spec.name}.init(model, params): params`,
        params,
        'the parameters that model.init(rngs) returns',
        'init takes live parameters (a step may have consumed these)',
      );
      model = m;
      return { params, slots: freshSlots(m, params), step: 0 };
    },
    step(state: TrainerState, batch: Batch): StepResult {
      if (model === undefined) throw new Error(`${spec.name}.step: call init(model, params) first`);
      checkStepInput(spec.name, state, batch);
      const next = compute(model, state, batch);
      // A slot the step did not replace (a fixed tensor), or handed back as it was (a transformation
      // that left it alone), carries over as it is; the rest is freed.
      for (const [k, t] of Object.entries(state.slots)) {
        if (next.slots[k] === undefined) next.slots[k] = t;
        else if (next.slots[k] !== t) t.dispose();
      }
      tf.dispose(Object.values(state.params));
      return { state: { params: next.params, slots: next.slots, step: state.step + 1 }, loss: next.loss };
    },
    dispose: (state: TrainerState) => tf.dispose([...Object.values(state.params), ...Object.values(state.slots)]),
    // A state is all in `params` and `slots`: its own tensors, not copies.
    saveState: ({ step, params, slots }: TrainerState): SavedTrainerState => ({ step, params, slots }),
    restoreState(m: Model, saved: SavedTrainerState): TrainerState {
      assert(
        typeof saved?.params === 'object' &&
          saved.params !== null &&
          typeof saved.slots === 'object' &&
          saved.slots !== null,
        () =>
          `${spec.name}.restoreState: expected { step, params, slots }, as saveState returns it, but got ${showValue(saved)}`,
      );
      bind('restoreState', m);
      spec.checkModel?.(m);
      // The checkpoint must hold exactly the slots, and shapes, that init would make (name → full
      // shape, replica axis first). One error lists every problem as `<trainer>.restoreState: …`;
      // the saved tensors are then left to the caller.
      const fresh = freshSlots(m, saved.params);
      const expected = Object.fromEntries(Object.entries(fresh).map(([k, t]) => [k, t.shape]));
      tf.dispose(Object.values(fresh));
      const problems: string[] = [];
      const at = (name: string) => `${spec.name}.restoreState: slots.${name}`;
      if (!Number.isInteger(saved.step) || saved.step < 0)
        problems.push(`${spec.name}.restoreState: step must be an integer ≥ 0, but got ${saved.step}`);
      for (const [name, shape] of Object.entries(expected)) {
        const t = saved.slots[name];
        if (t === undefined) problems.push(`${at(name)}: missing (the checkpoint is from another trainer or config)`);
        else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
          problems.push(`${at(name)}: expected shape [${shape.join(', ')}], but got [${t.shape.join(', ')}]`);
      }
      for (const name of Object.keys(saved.slots))
        if (!(name in expected))
          problems.push(`${at(name)}: not a slot of this trainer (the checkpoint is from another trainer or config)`);
      if (problems.length > 0) throw new LearnabilityError(problems.join('; '));
      model = m;
      return { params: saved.params, slots: saved.slots, step: saved.step };
    },
    describe: spec.describe,
    describeStep() {
      if (model === undefined) return 'not initialised';
      // Why the fused step does not run (asked now: the backend can change), or null when it does.
      const why = spec.fused
        ? spec.fused.unsupported(model)
        : `${spec.name} has no fused step (plain SGD with momentum 0 has one for the dense MLP, looped-adam for the looped transformer)`;
      if (why === null) return `fused kernel (${model.name} model, ${spec.name}) on ${tf.getBackend()}`;
      const kernels = [
        model.describeKernels?.() ?? null,
        spec.fusedUpdate?.ready() ? spec.fusedUpdate.describe() : null,
      ];
      return [`generic TF.js on ${tf.getBackend()}: ${why}`, ...kernels.filter((k) => k !== null)].join('; ');
    },
  };
}
