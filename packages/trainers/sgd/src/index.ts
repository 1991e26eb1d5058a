export { createSgd, SGD_SCHEMA } from './sgd.js';
export type { SgdConfig, SgdOptions } from './sgd.js';
export { ADAM_SCHEMA, createAdam } from './adam.js';
export { ADAM_KERNELS } from './adam-kernels.js';
export { adamFusedUpdate } from './adam-update.js';
export type { AdamConfig, AdamOptions } from './adam.js';
export { createNoisyGd, NOISY_GD_SCHEMA } from './noisy-gd.js';
export type { NoisyGdConfig, NoisyGdOptions } from './noisy-gd.js';
export { addDecayedWeights, addNoise, chain, clipByValue, scale, scaleByAdam, trace } from './transforms.js';
export type { GradientTransformation, TransformArgs } from './transforms.js';
export { wgslAdam } from './wgsl-adam.js';
export type { AdamHyper, WgslUpdateRule } from './wgsl-adam.js';
export { LOSSES, SIGN_LOSSES, perReplicaLoss } from './losses.js';
export type { LossName } from './losses.js';
export { lossAndGrads, valueAndGradsByName } from './gradients.js';
export { createGradientTrainer, gradientOf } from './gradient-trainer.js';
export type {
  FusedTrainerStep,
  FusedUpdate,
  GradientTrainerSpec,
  StepParts,
  UpdateSource,
} from './gradient-trainer.js';
