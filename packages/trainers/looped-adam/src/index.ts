export { createLoopedAdam, LOOPED_ADAM_SCHEMA } from './looped-adam.js';
export type { LoopedAdamConfig, LoopedAdamOptions, LoopedAdamTrainer } from './looped-adam.js';
export { loopedLossAndGrads, promptPrefix } from './looped-loss.js';
export type { LoopPlan } from './looped-loss.js';
export { isLoopedLike } from './looped-like.js';
export type { FusedLoopedStep, LoopedLike } from './looped-like.js';
