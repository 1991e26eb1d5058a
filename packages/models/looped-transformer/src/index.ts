// The model: a looped (weight-tied, input-injected) GPT-2, or the standard one with loops: 1.
export { createLoopedTransformer, isLoopedTransformer } from './looped-transformer.js';
export type { LoopedTransformerModel } from './looped-transformer.js';
export { blockParamCount, loopedTransformerParamCount } from './config.js';
export type { LoopedTransformerConfig, Readout } from './config.js';
