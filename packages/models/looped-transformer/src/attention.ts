import * as tf from '@tensorflow/tfjs-core';
import { ATTENTION, ATTENTION_GRAD } from './fused/block-kernels.js';
import { kernelsRegistered } from '@learnability/core';
import type { AttentionAttrs } from './fused/block-kernels.js';
import { linear } from './linear.js';

/** The weights of one attention layer (GPT-2's c_attn and c_proj). */
export interface AttentionWeights {
  /** (R, D, 3D): q, k, v side by side, in that order. */
  qkvW: tf.Tensor;
  /** (R, 1, 3D). */
  qkvB: tf.Tensor;
  /** (R, D, D). */
  projW: tf.Tensor;
  /** (R, 1, D). */
  projB: tf.Tensor;
}

/** Added to the attention scores above the diagonal: exp(−1e9 − max) is exactly 0 in float32. */
const MASKED = -1e9;

/** (T, T): 0 where key j ≤ query i, −1e9 where j > i (the future). */
export function causalMask(tokens: number): tf.Tensor2D {
  const mask = new Float32Array(tokens * tokens);
  for (let i = 0; i < tokens; i++) for (let j = i + 1; j < tokens; j++) mask[i * tokens + j] = MASKED;
  return tf.tensor2d(mask, [tokens, tokens]);
}

/**
 * Causal multi-head self-attention (Vaswani et al. 2017; GPT-2): x (R, B, T, D) → (R, B, T, D).
 * Token i attends to tokens 0..i only, so a prediction never sees a later token. Between the two
 * projections, the backend's ATTENTION kernels where it has them (wasm, with `LOOPED_KERNELS`,
 * for head sizes that are multiples of 4), else TF.js ops (`headsFromOps`).
 */
export function causalSelfAttention(x: tf.Tensor, w: AttentionWeights, heads: number): tf.Tensor {
  return tf.tidy(() => {
    const [R, B, T, D] = x.shape as [number, number, number, number];
    // (R, B, T, 3D) -> (R·B·T, 3D): q, k, v side by side, each row a token.
    const qkv = tf.reshape(linear(x, w.qkvW, w.qkvB), [R * B * T, 3 * D]);
    const fused = attentionKernelTakes(D, heads) && kernelsRegistered(ATTENTION, ATTENTION_GRAD);
    const merged = (fused ? headsByKernels : headsFromOps)(qkv, heads, T); // (R·B·T, D)
    return linear(tf.reshape(merged, [R, B, T, D]), w.projW, w.projB);
  });
}

/** Whether the ATTENTION kernels take D split into `heads` (head sizes in SIMD lanes of 4). */
export const attentionKernelTakes = (D: number, heads: number): boolean => (D / heads) % 4 === 0;

/** The attention heads by the ATTENTION kernels: qkv (S·T, 3D) → the heads merged (S·T, D). */
export function headsByKernels(qkv: tf.Tensor, heads: number, tokens: number): tf.Tensor {
  const attrs: AttentionAttrs = { heads, tokens };
  const withGradient = tf.customGrad((...args) => {
    const [qkv, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [merged, probs] = tf.engine().runKernel(ATTENTION, { qkv }, attrs) as [tf.Tensor, tf.Tensor];
    save([qkv, probs]);
    return {
      value: merged,
      gradFunc: (dy: tf.Tensor, [q, p]: tf.Tensor[]) =>
        tf.engine().runKernel(ATTENTION_GRAD, { dy, qkv: q as tf.Tensor, probs: p as tf.Tensor }, attrs) as tf.Tensor,
    };
  });
  return withGradient(qkv);
}

/** The attention heads composed of TF.js ops: qkv (S·T, 3D), S sequences of T tokens → the heads merged (S·T, D). */
export function headsFromOps(qkv: tf.Tensor, heads: number, T: number): tf.Tensor {
  return tf.tidy(() => {
    const [rows, threeD] = qkv.shape as [number, number];
    const [S, D] = [rows / T, threeD / 3];
    const headSize = D / heads;
    // (S·T, D) -> (S, T, H, D/H) -> (S, H, T, D/H) -> (S·H, T, D/H); a rank-2 split is a fast path on wasm.
    const toHeads = (t: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(t, [S, T, heads, headSize]), [0, 2, 1, 3]), [S * heads, T, headSize]);
    const [q, k, v] = tf.split(qkv, 3, 1).map(toHeads) as [tf.Tensor, tf.Tensor, tf.Tensor];
    // (S·H, T, D/H) @ (S·H, D/H, T) -> (S·H, T, T), scaled by 1/√(D/H)
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headSize)), causalMask(T));
    const attended = tf.matMul(tf.softmax(scores), v); // (S·H, T, D/H)
    // (S·H, T, D/H) -> (S, H, T, D/H) -> (S, T, H, D/H) -> (S·T, D)
    return tf.reshape(tf.transpose(tf.reshape(attended, [S, heads, T, headSize]), [0, 2, 1, 3]), [rows, D]);
  });
}
