export { createLoopedAdam, LOOPED_ADAM_DEFAULTS, loopPlanAt, resolveLoopedAdamConfig } from './looped-adam.js';
export type { LoopedAdamConfig, LoopedAdamTrainer, ResolvedLoopedAdamConfig } from './looped-adam.js';
export { loopedLossAndGrads, promptPrefix } from './looped-loss.js';
export type { LoopPlan } from './looped-loss.js';
export { checkSchedule, scheduleValue } from './curriculum.js';
export type { CurriculumSchedule } from './curriculum.js';
export { isLoopedLike } from './looped-like.js';
export type { LoopedLike } from './looped-like.js';
