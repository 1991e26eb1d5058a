/**
 * One recurrent step: the same k×k filter reads the state at every cell, the re-injected input
 * is added, and the state is updated in a way that keeps deep unrolls stable.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RcnnUpdate } from './rcnn-config.js';
import { gatedUpdate } from './gated-update.js';
import { replicaConv, replicaFilters } from './replica-conv.js';

/** A step's pre-activation (the conv output) and the new state. */
export interface StepResult {
  /** (R·B, H, W, G·C) */
  preActivation: tf.Tensor4D;
  /** (R·B, H, W, C) */
  state: tf.Tensor4D;
}

/**
 * With the one filter W = [W_s | W_e] over the channels [s; e] and b its bias,
 *   z = conv(s, W_s) + inj,  inj = conv(e, W_e) + b  (the same at every step: computed once)
 *   gated:    [a; z_u] = z,  u = σ(z_u),  s' = (1 − u)⊙s + u⊙tanh(a)   (Neural GPU-style; gated-update.ts)
 *   residual: s' = s + tanh(z)/√T
 * s (R·B, H, W, C), inj (R·B, H, W, G·C), stateFilters R × (k, k, C, G·C) → StepResult
 * (replicas folded into the leading axis, replica-major)
 */
export function recurrentStep(
  update: RcnnUpdate,
  depth: number,
  s: tf.Tensor4D,
  inj: tf.Tensor4D,
  stateFilters: readonly tf.Tensor4D[],
): StepResult {
  return tf.tidy(() => {
    const z = tf.add<tf.Tensor4D>(replicaConv(s, stateFilters), inj); // (R·B, H, W, G·C)
    if (update === 'residual')
      return { preActivation: z, state: tf.add<tf.Tensor4D>(s, tf.mul(tf.tanh(z), 1 / Math.sqrt(depth))) };
    return { preActivation: z, state: gatedUpdate(s, z) };
  });
}

/** The one filter, split by the channels it reads and by replica. */
export interface SplitFilter {
  /** W_s: R × (k, k, C, G·C), reads the state. */
  state: tf.Tensor4D[];
  /** W_s of every replica as one tensor, (R, k, k, C, G·C): what the fused unroll reads (fused-unroll.ts). */
  stateWeights: tf.Tensor;
  /** W_e: R × (k, k, C, G·C), reads the re-injected input. */
  input: tf.Tensor4D[];
}

/** (R, kh, kw, 2C, G·C) → SplitFilter, through rank 3 (WebGPU cannot slice rank 5). Done once per forward pass. */
export function splitFilter(convW: tf.Tensor): SplitFilter {
  return tf.tidy(() => {
    const [R, kh, kw, cin, cout] = convW.shape as [number, number, number, number, number];
    const C = cin / 2;
    const [ws, we] = tf.split(tf.reshape(convW, [R * kh * kw, cin, cout]), [C, C], 1) as [tf.Tensor, tf.Tensor];
    const stateWeights = tf.reshape(ws, [R, kh, kw, C, cout]);
    return {
      state: replicaFilters(stateWeights),
      stateWeights,
      input: replicaFilters(tf.reshape(we, [R, kh, kw, C, cout])),
    };
  });
}

/**
 * The input's part of every step's pre-activation: conv(e, W_e) + b.
 * e (R·B, H, W, C), inputFilters R × (k, k, C, G·C), convB (R, 1, G·C) → (R·B, H, W, G·C)
 */
export function injection(e: tf.Tensor4D, inputFilters: readonly tf.Tensor4D[], convB: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const R = convB.shape[0] as number;
    const z = replicaConv(e, inputFilters);
    const [RB, H, W, out] = z.shape;
    // Bias per replica: (R, B·H·W, G·C) + (R, 1, G·C)
    return tf.reshape(tf.add(tf.reshape(z, [R, (RB / R) * H * W, out]), convB), [RB, H, W, out]);
  });
}
