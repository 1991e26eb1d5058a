import * as tf from '@tensorflow/tfjs-core';
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
 * Token i attends to tokens 0..i only, so a prediction never sees a later token.
 */
export function causalSelfAttention(x: tf.Tensor, w: AttentionWeights, heads: number): tf.Tensor {
  return tf.tidy(() => {
    const [R, B, T, D] = x.shape as [number, number, number, number];
    const headSize = D / heads;
    // (R, B, T, 3D) -> (R·B·T, 3D): a rank-2 split is a fast path on wasm, rank 4 is not.
    const qkv = tf.reshape(linear(x, w.qkvW, w.qkvB), [R * B * T, 3 * D]);
    // (R·B·T, D) -> (R, B, T, H, D/H) -> (R, B, H, T, D/H) -> (R·B·H, T, D/H)
    const toHeads = (t: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(t, [R, B, T, heads, headSize]), [0, 1, 3, 2, 4]), [
        R * B * heads,
        T,
        headSize,
      ]);
    const [q, k, v] = tf.split(qkv, 3, 1).map(toHeads) as [tf.Tensor, tf.Tensor, tf.Tensor];
    // (R·B·H, T, D/H) @ (R·B·H, D/H, T) -> (R·B·H, T, T), scaled by 1/√(D/H)
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headSize)), causalMask(T));
    const attended = tf.matMul(tf.softmax(scores), v); // (R·B·H, T, D/H)
    // (R·B·H, T, D/H) -> (R, B, H, T, D/H) -> (R, B, T, H, D/H) -> (R, B, T, D)
    const merged = tf.reshape(tf.transpose(tf.reshape(attended, [R, B, heads, T, headSize]), [0, 1, 3, 2, 4]), [
      R,
      B,
      T,
      D,
    ]);
    return linear(merged, w.projW, w.projB);
  });
}
