import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError, assertInt } from '@learnability/core';

/** Hidden-layer nonlinearity. `poly` is the truncated exponential Σ_{j≤degree} x^j / j! (every degree up to `degree`). */
export type Activation = 'relu' | 'gelu' | 'tanh' | 'poly';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'gelu', 'tanh', 'poly'];

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** From plain JS an unknown name fell through every case: the result was undefined, not an error. */
const unknown = (fn: string, kind: unknown): never => {
  throw new LearnabilityError(`${fn}: unknown activation ${JSON.stringify(kind)}; known: ${ACTIVATIONS.join(', ')}`);
};

/** σ(z) elementwise. GELU uses the tanh form of Hendrycks & Gimpel 2016 (as GPT-2 does). */
export function activate(kind: Activation, z: tf.Tensor, degree = 3): tf.Tensor {
  return tf.tidy(() => {
    switch (kind) {
      case 'relu':
        return tf.relu(z);
      case 'tanh':
        return tf.tanh(z);
      case 'gelu': {
        const inner = tf.mul(SQRT_2_OVER_PI, tf.add(z, tf.mul(0.044715, tf.pow(z, 3))));
        return tf.mul(tf.mul(0.5, z), tf.add(1, tf.tanh(inner)));
      }
      case 'poly': {
        // exp's Taylor series to z^degree/degree! (degree 0: the constant 1).
        assertInt('activate: poly degree', degree, 0);
        // Horner: 1 + z(1 + z/2(1 + z/3(… (1 + z/degree))))
        let acc: tf.Tensor = tf.onesLike(z);
        for (let j = degree; j >= 1; j--) acc = tf.add(1, tf.mul(tf.div(z, j), acc));
        return acc;
      }
      default:
        return unknown('activate', kind);
    }
  });
}

/**
 * σ′(z) elementwise in closed form, for rules that gate a backward signal by hand (ReLU′(0) = 0):
 * forward ops only, so it needs no gradients registered. ReLU′ is `tf.step`, which computes float32
 * values (on webgpu a float32 cast of a comparison keeps its int32 words, which a fused kernel
 * reading the buffer refuses).
 */
export function activationDerivative(kind: Activation, z: tf.Tensor, degree = 3): tf.Tensor {
  return tf.tidy(() => {
    switch (kind) {
      case 'relu':
        return tf.step(z);
      case 'tanh':
        return tf.sub(1, tf.square(tf.tanh(z)));
      case 'gelu': {
        // GELU(z) = ½z(1 + tanh u), u = c(z + a z³): GELU′ = ½(1 + tanh u) + ½z(1 − tanh²u)·c(1 + 3a z²).
        const z2 = tf.square(z);
        const t = tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.mul(z, tf.add(1, tf.mul(0.044715, z2)))));
        const du = tf.mul(SQRT_2_OVER_PI, tf.add(1, tf.mul(3 * 0.044715, z2)));
        return tf.add(tf.mul(0.5, tf.add(1, t)), tf.mul(tf.mul(0.5, z), tf.mul(tf.sub(1, tf.square(t)), du)));
      }
      case 'poly':
        // The truncated exponential's derivative is the same sum one degree lower; degree 0 is constant.
        return degree >= 1 ? activate('poly', z, degree - 1) : tf.zerosLike(z);
      default:
        return unknown('activationDerivative', kind);
    }
  });
}
