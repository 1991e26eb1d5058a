import { assert, assertInt, LearnabilityError } from '@learnability/core';
import type { Model, Trainer } from '@learnability/core';
import { ADAM_DEFAULTS, chain, createGradientTrainer, scale, scaleByAdam, wgslAdam } from '@learnability/sgd';
import type { AdamConfig } from '@learnability/sgd';
import { checkSchedule, scheduleValue } from './curriculum.js';
import type { CurriculumSchedule } from './curriculum.js';
import { isLoopedLike } from './looped-like.js';
import type { LoopedLike } from './looped-like.js';
import { loopedLossAndGrads } from './looped-loss.js';
import type { LoopPlan } from './looped-loss.js';

/**
 * Adam on the truncated loop loss of Yang et al. 2023 (PAPERS.md §5), with the loop-count and
 * points curricula. Works for the standard model too (loops = 1: plain MSE over all positions).
 */
export interface LoopedAdamConfig extends Omit<AdamConfig, 'lr' | 'loss'> {
  /** Learning rate. Default 1e-4 (the paper's); β₁, β₂, ε and weightDecay (0: the paper's plain Adam) as `createAdam`'s. */
  lr?: number;
  /**
   * T: the loss averages the last T loop iterations, and only they get gradient; capped at the
   * iterations b a step runs. Default 15 (the paper's, for linear regression).
   */
  lossLoops?: number;
  /**
   * Loop count b per step, capped at the model's `loops` (the paper: from T, +2 every 500 steps).
   * Default null: every step runs the model's `loops`.
   */
  loopCurriculum?: CurriculumSchedule | null;
  /**
   * In-context points p per step (the first 2p tokens of each prompt and their p targets), capped
   * at the prompt's points; interleaved prompts only (Garg et al. 2022: 11 → 41, +2 every 2,000
   * steps). Default null: whole prompts.
   */
  pointsCurriculum?: CurriculumSchedule | null;
}

export type ResolvedLoopedAdamConfig = Required<LoopedAdamConfig>;

export const LOOPED_ADAM_DEFAULTS: ResolvedLoopedAdamConfig = {
  lr: 1e-4,
  beta1: ADAM_DEFAULTS.beta1,
  beta2: ADAM_DEFAULTS.beta2,
  epsilon: ADAM_DEFAULTS.epsilon,
  weightDecay: ADAM_DEFAULTS.weightDecay,
  lossLoops: 15,
  loopCurriculum: null,
  pointsCurriculum: null,
};

/** The loops, loss loops and points of the step after `step` completed steps. */
export function loopPlanAt(c: ResolvedLoopedAdamConfig, model: LoopedLike, step: number): LoopPlan {
  const b = c.loopCurriculum ? scheduleValue(c.loopCurriculum, step, model.config.loops) : model.config.loops;
  const points =
    c.pointsCurriculum && model.config.readout === 'interleaved'
      ? scheduleValue(c.pointsCurriculum, step, model.outputSize)
      : null;
  return { loops: b, lossLoops: Math.min(c.lossLoops, b), points };
}

/** Validates and fills a LoopedAdamConfig. */
export function resolveLoopedAdamConfig(config: LoopedAdamConfig = {}): ResolvedLoopedAdamConfig {
  const c: ResolvedLoopedAdamConfig = { ...LOOPED_ADAM_DEFAULTS, ...config };
  assert(c.lr > 0, () => `looped-adam.lr must be > 0, but got ${c.lr}`);
  assert(
    c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1,
    () => `looped-adam.beta1 and beta2 must be in [0, 1), but got ${c.beta1}, ${c.beta2}`,
  );
  assert(
    c.epsilon > 0 && c.weightDecay >= 0,
    () => `looped-adam.epsilon must be > 0 and weightDecay ≥ 0, but got ${c.epsilon}, ${c.weightDecay}`,
  );
  assertInt('looped-adam.lossLoops', c.lossLoops, 1);
  if (c.loopCurriculum) checkSchedule('looped-adam.loopCurriculum', c.loopCurriculum);
  if (c.pointsCurriculum) checkSchedule('looped-adam.pointsCurriculum', c.pointsCurriculum);
  return c;
}

/** A trainer that also tells which plan a step used (for records and tests). */
export interface LoopedAdamTrainer extends Trainer {
  readonly config: ResolvedLoopedAdamConfig;
  /** The plan of the step after `step` completed steps; call after init. */
  planAt(step: number): LoopPlan;
}

/** `@learnability/sgd`'s Adam chain fed by the truncated loop loss; needs a looped-transformer model. */
export function createLoopedAdam(config: LoopedAdamConfig = {}): LoopedAdamTrainer {
  const c = resolveLoopedAdamConfig(config);
  let model: LoopedLike | undefined;
  const looped = (m: Model): LoopedLike => {
    if (!isLoopedLike(m))
      throw new LearnabilityError(
        `looped-adam needs a looped-transformer model, but got "${m.name}"; use the adam trainer for other models`,
      );
    return m;
  };
  const trainer = createGradientTrainer({
    name: 'looped-adam',
    checkModel: (m) => {
      model = looped(m);
    },
    source: (m, params, batch, completed) =>
      loopedLossAndGrads(looped(m), params, batch.x, batch.y, loopPlanAt(c, looped(m), completed)),
    transform: chain(scaleByAdam(c.beta1, c.beta2, c.epsilon), scale(-c.lr)),
    decoupledDecay: c.lr * c.weightDecay,
    fused: {
      unsupported: (m) => {
        const fused = looped(m).fusedStep;
        return fused ? fused.unsupported() : `model "${m.name}" has no fused step`;
      },
      step: (m, state, batch) => {
        const fused = looped(m).fusedStep;
        if (!fused) throw new LearnabilityError(`looped-adam: model "${m.name}" has no fused step`);
        return fused.step({
          params: state.params,
          slots: state.slots,
          x: batch.x,
          y: batch.y,
          plan: loopPlanAt(c, looped(m), state.step),
          // The same Adam as `transform` (and decoupledDecay) above, in WGSL.
          update: wgslAdam(c, state.step + 1),
        });
      },
    },
    describe: () => ({ name: 'looped-adam', ...c }),
  });
  const planAt = (step: number): LoopPlan => {
    if (model === undefined) throw new LearnabilityError('looped-adam: call init(model, params) first');
    return loopPlanAt(c, model, step);
  };
  return { ...trainer, config: c, planAt };
}
