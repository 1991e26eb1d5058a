export { createDense } from './dense.js';
export type { DenseModel } from './dense.js';
export { DENSE_DEFAULTS } from './dense-config.js';
export type { BiasInit, DenseConfig, DenseInit, Parameterization, ResolvedDenseConfig } from './dense-config.js';
export { ACTIVATIONS, activate, activationDerivative } from './activations.js';
export type { Activation } from './activations.js';
