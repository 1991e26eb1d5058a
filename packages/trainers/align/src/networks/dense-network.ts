/**
 * The dense MLP (`@learnability/dense`) as a credit network. Layer l computes
 * z_l = a_{l−1} W_l s_l + b_l with s_l = 1/√fan_in in NTK parameterisation (else 1); weights
 * `w{l}` (R, fan_in, fan_out), biases `b{l}` (R, 1, fan_out); the last layer is the readout.
 * Read through the model's public `sizes` and `config`, so this package needs no import of it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError } from '@learnability/core';
import type { Model, Params } from '@learnability/core';
import { activationGate, GATED_ACTIVATIONS } from './activation-gate.js';
import type { GatedActivation } from './activation-gate.js';
import type { CreditNetwork, NetTrace } from './credit-network.js';

/** The public shape of a `@learnability/dense` model that this network reads. */
export interface DenseLike extends Model {
  readonly sizes: readonly number[];
  readonly config: { readonly parameterization: string; readonly activation: string };
}

export function isDenseLike(model: Model): model is DenseLike {
  const m = model as Partial<DenseLike>;
  return (
    model.name === 'dense' &&
    Array.isArray(m.sizes) &&
    typeof m.config?.parameterization === 'string' &&
    typeof m.config.activation === 'string'
  );
}

export function denseNetwork(model: DenseLike): CreditNetwork {
  const activation = model.config.activation;
  if (!(GATED_ACTIVATIONS as readonly string[]).includes(activation))
    throw new LearnabilityError(
      `align: dense activation "${activation}" is not supported; use ${GATED_ACTIVATIONS.join(' or ')}`,
    );
  const kind = activation as GatedActivation;
  const L = model.sizes.length - 1;
  const scale = (l: number) => (model.config.parameterization === 'ntk' ? 1 / Math.sqrt(model.sizes[l] as number) : 1);

  return {
    feedbackNames: Array.from({ length: L - 1 }, (_, i) => `w${i + 1}`),
    projectionShapes: model.sizes.slice(1, L).map((width) => [model.outputSize, width] as const),

    trace(params, x): NetTrace {
      const t = model.applyLayers(params, x);
      return {
        gates: t.layers.slice(0, L - 1).map((layer) => activationGate(kind, layer.preActivation)),
        inputs: t.layers.map((layer) => layer.input),
        output: t.output,
      };
    },

    backward(weights, gates, e) {
      // g_{L−2} = s e W_{L−1}ᵀ;  g_{l−1} = s_l (σ′_l ⊙ g_l) W_lᵀ.   (R, B, out) @ (R, in, out)ᵀ → (R, B, in)
      const g: tf.Tensor[] = new Array<tf.Tensor>(L - 1);
      let signal = e;
      for (let l = L - 1; l >= 1; l--) {
        g[l - 1] = tf.mul(tf.matMul(signal, weights[`w${l}`] as tf.Tensor, false, true), scale(l));
        signal = tf.mul(gates[l - 1] as tf.Tensor, g[l - 1] as tf.Tensor);
      }
      return g;
    },

    project: (projections, e) => projections.map((d) => tf.matMul(e, d)),

    update(inputs, deltas, e) {
      const out: Params = {};
      for (let l = 0; l < L; l++) {
        const delta = l < L - 1 ? (deltas[l] as tf.Tensor) : e;
        // Σ_B a_{l−1}ᵀ δ_l: (R, B, in)ᵀ @ (R, B, out) → (R, in, out)
        out[`w${l}`] = tf.mul(tf.matMul(inputs[l] as tf.Tensor, delta, true, false), scale(l));
        out[`b${l}`] = tf.sum(delta, 1, true);
      }
      return out;
    },
  };
}
