/**
 * Kernels for two pieces of the GPT-2 block that TF.js has no op for, each way: GELU and
 * LayerNorm. Their names and inputs are the contract; a backend may implement them
 * (wasm/block-kernels.ts), and where it does not, gelu.ts and layer-norm.ts compose them from
 * TF.js ops (the same maths, to float tolerance; written-gradients.test.ts and the kernels' tests).
 *
 * Why: as ops, a GELU is 7 kernels forward and 9 back, a LayerNorm 8 and 13, each a full pass
 * over an (R, B, T, D) activation. On wasm those passes, not the FLOPs, are most of a block's time.
 *
 * - GELU: { x } → y, x's shape; y = x·σ(2u), u = √(2/π)(x + 0.044715 x³) (gelu.ts).
 * - GELU_GRAD: { x, dy } → ∂L/∂x, x's shape.
 * - LAYER_NORM: { x (R, …, D), gamma (R, 1, D), beta (R, 1, D) }, attrs { epsilon } →
 *   [y (x's shape), stats (R·rows, 2): each row's mean μ and r = 1/√(σ² + ε)] (layer-norm.ts).
 * - LAYER_NORM_GRAD: { dy, x, gamma, stats } → [∂L/∂x, ∂L/∂γ (R, 1, D), ∂L/∂β (R, 1, D)].
 * Float32 only.
 */
import * as tf from '@tensorflow/tfjs-core';

export const GELU = 'LearnabilityGelu';
export const GELU_GRAD = 'LearnabilityGeluGrad';
export const LAYER_NORM = 'LearnabilityLayerNorm';
export const LAYER_NORM_GRAD = 'LearnabilityLayerNormGrad';

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type LayerNormAttrs = { epsilon: number };

/** Whether the active backend has `kernelName` registered (a Map lookup: cheap enough per call). */
export const hasBlockKernel = (kernelName: string): boolean => tf.getKernel(kernelName, tf.getBackend()) !== undefined;
