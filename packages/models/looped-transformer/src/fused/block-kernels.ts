/**
 * Kernels for three pieces of the GPT-2 block that TF.js has no op for, each way: GELU,
 * LayerNorm and causal attention. Their names and inputs are the contract; a backend may
 * implement them (wasm/block-kernels.ts), and where it does not, gelu.ts, layer-norm.ts and
 * attention.ts compose them from TF.js ops (the same maths, to float tolerance;
 * written-gradients.test.ts and the kernels' tests).
 *
 * Why: as ops, a GELU is 7 kernels forward and 9 back, a LayerNorm 8 and 13, attention between
 * the two projections 15 and about 30, each a full pass over an activation. On wasm those
 * passes, not the FLOPs, are most of a block's time.
 *
 * - GELU: { x } → y, x's shape; y = x·σ(2u), u = √(2/π)(x + 0.044715 x³) (gelu.ts).
 * - GELU_GRAD: { x, dy } → ∂L/∂x, x's shape.
 * - LAYER_NORM: { x (R, …, D), gamma (R, 1, D), beta (R, 1, D) }, attrs { epsilon } →
 *   [y (x's shape), stats (R·rows, 2): each row's mean μ and r = 1/√(σ² + ε)] (layer-norm.ts).
 * - LAYER_NORM_GRAD: { dy, x, gamma, stats } → [∂L/∂x, ∂L/∂γ (R, 1, D), ∂L/∂β (R, 1, D)].
 * - ATTENTION: { qkv (S·T, 3D): q, k, v side by side for S sequences of T tokens }, attrs
 *   { heads, tokens: T } → [the heads' outputs merged (S·T, D), probs (S·heads, T, Tp): the
 *   softmax of each query's causal scores, Tp = T rounded up to 4, zeros past the query]
 *   (attention.ts); scores are scaled by 1/√(D/heads).
 * - ATTENTION_GRAD: { dy (S·T, D), qkv, probs }, the same attrs → ∂L/∂qkv (S·T, 3D).
 * Float32 only.
 */

export const GELU = 'LearnabilityGelu';
export const GELU_GRAD = 'LearnabilityGeluGrad';
export const LAYER_NORM = 'LearnabilityLayerNorm';
export const LAYER_NORM_GRAD = 'LearnabilityLayerNormGrad';
export const ATTENTION = 'LearnabilityCausalAttention';
export const ATTENTION_GRAD = 'LearnabilityCausalAttentionGrad';

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type LayerNormAttrs = { epsilon: number };
/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type AttentionAttrs = { heads: number; tokens: number };
