export { createLoopedAdam, LOOPED_ADAM_SCHEMA, loopPlanAt, resolveLoopedAdamConfig } from './looped-adam.js';
export type {
  LoopedAdamConfig,
  LoopedAdamOptions,
  LoopedAdamTrainer,
  ResolvedLoopedAdamConfig,
} from './looped-adam.js';
export { loopedLossAndGrads, promptPrefix } from './looped-loss.js';
export type { LoopPlan } from './looped-loss.js';
export { scheduleValue } from './curriculum.js';
export type { CurriculumSchedule } from './curriculum.js';
export { isLoopedLike } from './looped-like.js';
export type { LoopedLike } from './looped-like.js';
