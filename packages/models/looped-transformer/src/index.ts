// The model: a looped (weight-tied, input-injected) GPT-2, or the standard one with loops: 1.
export { createLoopedTransformer, isLoopedTransformer } from './looped-transformer.js';
export type { LoopedTransformerModel } from './looped-transformer.js';
export { blockParamCount, LOOPED_TRANSFORMER_SCHEMA, loopedTransformerParamCount } from './config.js';
export type { LoopedTransformerConfig, LoopedTransformerOptions, Readout } from './config.js';
export { LOOPED_KERNELS } from './fused/index.js';
export { LOOPED_STEP } from './fused/kernel-contract.js';
export type { LoopedStepAttrs, LoopedUpdateRule } from './fused/kernel-contract.js';
export type { FusedLoopPlan, LoopedFusedStep } from './fused/fused-step.js';
