export { createDense } from './dense.js';
export type { DenseModel } from './dense.js';
export { DENSE_SCHEMA } from './dense-config.js';
export type {
  BiasInit,
  DenseConfig,
  DenseInit,
  DenseOptions,
  Parameterization,
  ResolvedDenseConfig,
} from './dense-config.js';
export { ACTIVATIONS, activate, activationDerivative } from './activations.js';
export type { Activation } from './activations.js';
export { DENSE_KERNELS } from './fused/index.js';
export { DENSE_SGD_STEP } from './fused/kernel-contract.js';
export type { DenseSgdStepAttrs } from './fused/kernel-contract.js';
export { DENSE_SGD_STEP_LOSSES, lossAndDelta } from './fused/losses.js';
export type { DenseSgdStepLoss } from './fused/losses.js';
