import * as tf from '@tensorflow/tfjs-core';

/** Activations whose σ′ the rules can gate a signal with. */
export const GATED_ACTIVATIONS = ['relu', 'tanh'] as const;
export type GatedActivation = (typeof GATED_ACTIVATIONS)[number];

/** σ′(z) elementwise (ReLU′(0) = 0, as autodiff takes it). Call inside a tidy. */
export function activationGate(kind: GatedActivation, z: tf.Tensor): tf.Tensor {
  return kind === 'relu' ? tf.cast(tf.greater(z, 0), 'float32') : tf.sub(1, tf.square(tf.tanh(z)));
}
