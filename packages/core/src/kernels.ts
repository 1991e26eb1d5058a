/**
 * Names and attributes of learnability's own TF.js kernels (the contract; implementations are
 * registered per backend by @learnability/backends, as tfjs keeps kernel_names.ts apart from
 * its backends).
 */

/**
 * One SGD step of a dense ReLU MLP as a single kernel: forward, loss, backward and the update
 * θ ← θ − lr·(∇θ + weightDecay·θ) (coupled weight decay, no momentum), every replica at once.
 *
 * Inputs: x (R, B, n), y (R, B, out), then w0 (R, n, h0), b0 (R, 1, h0), …, w{L−1}, b{L−1}
 * (the dense model's parameters). Outputs: the new w0, b0, …, b{L−1}, then the per-replica
 * loss (R,) — the mean over batch and outputs of each replica, as the generic path computes it.
 */
export const DENSE_SGD_STEP = 'LearnabilityDenseSgdStep';

/** Losses the fused step computes (the same formulas as @learnability/sgd's `perReplicaLoss`). */
export const DENSE_SGD_STEP_LOSSES = ['hinge', 'mse', 'logistic', 'correlation'] as const;
export type DenseSgdStepLoss = (typeof DENSE_SGD_STEP_LOSSES)[number];

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type DenseSgdStepAttrs = {
  /** Layers L (hidden layers + the linear readout). */
  layers: number;
  /** Per layer: z_l = scale_l · a_{l−1} W_l + b_l (1 for the standard parameterisation, 1/√fan_in for NTK). */
  scales: number[];
  loss: DenseSgdStepLoss;
  lr: number;
  weightDecay: number;
};

/** The plain SGD rule a model's fused step must reproduce (what `Model.fusedSgdStep` is given). */
export interface SgdRule {
  lr: number;
  weightDecay: number;
  /** Loss name, e.g. 'hinge'. */
  loss: string;
}
