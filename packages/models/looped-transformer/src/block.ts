import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';
import { causalSelfAttention } from './attention.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';
import { param } from './params.js';

/** What a block needs to know besides its weights. */
export interface BlockShape {
  heads: number;
  layerNormEpsilon: number;
}

/**
 * GPT-2's pre-LN block `h{l}` (Radford et al. 2019): x + attn(LN₁(x)), then + MLP(LN₂(x)) with a
 * GELU (tanh form, GPT-2's `gelu_new`) hidden layer. x (R, B, T, D) → (R, B, T, D).
 */
export function gpt2Block(params: Params, l: number, x: tf.Tensor, shape: BlockShape): tf.Tensor {
  return tf.tidy(() => {
    const p = (name: string) => param(params, `h${l}.${name}`);
    const norm = (t: tf.Tensor, which: string) =>
      layerNorm(t, p(`${which}.g`), p(`${which}.b`), shape.layerNormEpsilon);
    const attn = causalSelfAttention(
      norm(x, 'ln1'),
      { qkvW: p('qkv.w'), qkvB: p('qkv.b'), projW: p('proj.w'), projB: p('proj.b') },
      shape.heads,
    );
    const h = tf.add(x, attn);
    const hidden = gelu(linear(norm(h, 'ln2'), p('fc.w'), p('fc.b'))); // (R, B, T, 4D)
    return tf.add(h, linear(hidden, p('out.w'), p('out.b')));
  });
}
