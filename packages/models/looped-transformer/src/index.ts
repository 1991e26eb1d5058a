// The model: a looped (weight-tied, input-injected) GPT-2, or the standard one with loops: 1.
export { createLoopedTransformer, isLoopedTransformer } from './looped-transformer.js';
export type { LoopedTransformerModel } from './looped-transformer.js';
export { blockParamCount, loopedTransformerParamCount } from './config.js';
export type { LoopedTransformerConfig, Readout } from './config.js';
// The trainer: Adam on the truncated loop loss, with loop and points curricula.
export { createLoopedAdam } from './looped-trainer.js';
export type { LoopedAdamConfig, LoopedAdamTrainer } from './looped-trainer.js';
export type { CurriculumSchedule } from './curriculum.js';
