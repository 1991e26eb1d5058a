/**
 * What a credit-assignment rule needs from an architecture: its forward trace, a backward pass
 * through any given set of matrices, and the local update δ·aᵀ. Every rule in this package is a
 * choice of which matrices, gates and layer inputs to use (rules.ts); none differentiates through
 * the learned weights, and none calls `tf.grad`.
 *
 * "Hidden signals" (gates, backward signals g, deltas δ) are lists of tensors in a layout each
 * network picks — the dense MLP has one (R, B, width_l) per hidden layer, the RNN one time-major
 * (T, R, B, n) for all steps — and rules combine them elementwise only.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';

/** A forward pass, as the rules read it. */
export interface NetTrace {
  /** σ′(z) of every hidden pre-activation, in the network's hidden-signal layout. */
  gates: Tensor[];
  /** The layer inputs an update multiplies δ by (network-specific; passed back to `update`). */
  inputs: Tensor[];
  /** Model output (R, B, outputSize). */
  output: Tensor;
}

export interface CreditNetwork {
  /** The weights a backward signal crosses; feedback alignment swaps these for fixed random matrices. */
  readonly feedbackNames: readonly string[];
  /** [rows, cols] (without R) of direct feedback alignment's fixed projections, one per hidden signal. */
  readonly projectionShapes: readonly (readonly [number, number])[];
  /** Forward pass of `params` on x. Call inside a tidy. */
  trace(params: Params, x: Tensor): NetTrace;
  /**
   * g: ∂⟨output, e⟩/∂(hidden outputs), sent back from the output error e (R, B, outputSize)
   * through the matrices named `feedbackNames` in `weights`, crossing each hidden layer gated by
   * `gates` (its σ′). Call inside a tidy.
   */
  backward(weights: Params, gates: Tensor[], e: Tensor): Tensor[];
  /** Direct feedback alignment: e sent straight to every hidden layer through `projections`. */
  project(projections: Tensor[], e: Tensor): Tensor[];
  /**
   * The gradient-shaped update of every parameter: Σ_x δ·aᵀ for hidden layers (scaled as the
   * forward pass scales), the delta rule e·aᵀ for the readout. Call inside a tidy.
   */
  update(inputs: Tensor[], deltas: Tensor[], e: Tensor): Params;
}
