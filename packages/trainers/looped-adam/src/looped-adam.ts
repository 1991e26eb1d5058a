import { defineSchema, LearnabilityError, resolveOptions, staircaseAt, staircaseFields } from '@learnability/core';
import type { Model, OptionsOf, Trainer } from '@learnability/core';
import {
  ADAM_SCHEMA,
  adamFusedUpdate,
  chain,
  createGradientTrainer,
  scale,
  scaleByAdam,
  wgslAdam,
} from '@learnability/sgd';
import { isLoopedLike } from './looped-like.js';
import type { FusedLoopedStep, LoopedLike } from './looped-like.js';
import { loopedLossAndGrads } from './looped-loss.js';
import type { LoopPlan } from './looped-loss.js';

const { loss: _adamLoss, ...adamFields } = ADAM_SCHEMA.fields;

/**
 * Adam on the truncated loop loss of Yang et al. 2023 (docs/papers.md §5), with the loop-count and
 * points curricula: β₁, β₂, ε and weightDecay as `createAdam`'s (weightDecay 0: the paper's plain
 * Adam). Each curriculum is a staircase of the completed steps (from `…Start`, +`…Increment` every
 * `…Interval`); a null start turns it off. The loop count b is capped at the model's `loops`
 * (the paper: from T, +2 every 500 steps); the points p per step (the first 2p tokens of each
 * prompt and their p targets) at the prompt's points, on interleaved prompts only (Garg et al.
 * 2022: 11 → 41, +2 every 2,000 steps).
 */
export const LOOPED_ADAM_SCHEMA = defineSchema({
  ...adamFields,
  lr: { ...adamFields.lr, default: 1e-4, why: 'Yang et al. 2023' },
  lossLoops: {
    type: 'int',
    default: 15,
    min: 1,
    doc: 'T: loop iterations in the loss (capped at the loops run)',
    why: 'Yang et al. 2023, for linear regression',
  },
  ...staircaseFields(
    'loops',
    'loop curriculum',
    'b at first (null: the model’s loops throughout; the paper: T)',
    2,
    500,
  ),
  ...staircaseFields('points', 'points curriculum', 'points per prompt at first (null: all; the paper: 11)', 2, 2_000),
});

export type LoopedAdamOptions = OptionsOf<typeof LOOPED_ADAM_SCHEMA.fields>;

/** The looped-adam config: options not given take their defaults. */
export type LoopedAdamConfig = Partial<LoopedAdamOptions>;

/** A trainer that also tells which plan a step used (for records and tests). */
export interface LoopedAdamTrainer extends Trainer {
  readonly config: LoopedAdamOptions;
  /** The plan of the step after `step` completed steps; call after init. */
  planAt(step: number): LoopPlan;
}

/** `@learnability/sgd`'s Adam chain fed by the truncated loop loss; needs a looped-transformer model. */
export function createLoopedAdam(config: LoopedAdamConfig = {}): LoopedAdamTrainer {
  const c = resolveOptions('looped-adam', LOOPED_ADAM_SCHEMA, config);
  let model: LoopedLike | undefined;
  const looped = (m: Model): LoopedLike => {
    if (!isLoopedLike(m))
      throw new LearnabilityError(
        `looped-adam needs a looped-transformer model, but got "${m.name}"; use the adam trainer for other models`,
      );
    return m;
  };
  /** The loops, loss loops and points of the step after `step` completed steps. */
  const planFor = (m: LoopedLike, step: number): LoopPlan => {
    const loops = staircaseAt(c.loopsStart, c.loopsIncrement, c.loopsInterval, step, m.config.loops) ?? m.config.loops;
    const points =
      m.config.readout === 'interleaved'
        ? staircaseAt(c.pointsStart, c.pointsIncrement, c.pointsInterval, step, m.outputSize)
        : null;
    return { loops, lossLoops: Math.min(c.lossLoops, loops), points };
  };
  const trainer = createGradientTrainer({
    name: 'looped-adam',
    checkModel: (m) => {
      const l = looped(m);
      // Its prefixes are of interleaved (x, y) pairs: with a last-token readout it was ignored without a word.
      if (c.pointsStart !== null && l.config.readout !== 'interleaved')
        throw new LearnabilityError(
          `looped-adam.pointsStart: the points curriculum trains on the first p (x, y) pairs of each prompt, which needs the interleaved readout, but the model reads out at its ${l.config.readout} token; leave pointsStart null`,
        );
      model = l;
    },
    source: (m, params, batch, completed) =>
      loopedLossAndGrads(looped(m), params, batch.x, batch.y, planFor(looped(m), completed)),
    transform: chain(scaleByAdam(c.beta1, c.beta2, c.epsilon), scale(-c.lr)),
    decoupledDecay: c.lr * c.weightDecay,
    // Where the whole step does not run fused, Adam's update may still run as one kernel.
    fusedUpdate: adamFusedUpdate(c),
    fused: {
      unsupported: (m) => {
        const fused = looped(m).fusedStep;
        return fused ? fused.unsupported() : `model "${m.name}" has no fused step`;
      },
      // Runs only where `unsupported` gave null, so the model has a fused step.
      step: (m, state, batch) =>
        (looped(m).fusedStep as FusedLoopedStep).step({
          params: state.params,
          slots: state.slots,
          x: batch.x,
          y: batch.y,
          plan: planFor(looped(m), state.step),
          // The same Adam as `transform` (and decoupledDecay) above, in WGSL.
          update: wgslAdam(c, state.step + 1),
        }),
    },
    describe: () => ({ name: 'looped-adam', ...c }),
  });
  const planAt = (step: number): LoopPlan => {
    if (model === undefined) throw new LearnabilityError('looped-adam: call init(model, params) first');
    return planFor(model, step);
  };
  return { ...trainer, config: c, planAt };
}
