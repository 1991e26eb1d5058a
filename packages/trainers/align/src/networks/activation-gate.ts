import * as tf from '@tensorflow/tfjs-core';

/** Activations whose σ′ the rules can gate a signal with. */
export const GATED_ACTIVATIONS = ['relu', 'tanh'] as const;
export type GatedActivation = (typeof GATED_ACTIVATIONS)[number];

/**
 * σ′(z) elementwise (ReLU′(0) = 0, as autodiff takes it). Call inside a tidy. ReLU′ is `tf.step`
 * (1 where z > 0, else 0), which computes float32 values: on webgpu a float32 `tf.cast` of a
 * comparison keeps its int32 words, which a kernel reading the buffer cannot use.
 */
export function activationGate(kind: GatedActivation, z: tf.Tensor): tf.Tensor {
  return kind === 'relu' ? tf.step(z) : tf.sub(1, tf.square(tf.tanh(z)));
}
