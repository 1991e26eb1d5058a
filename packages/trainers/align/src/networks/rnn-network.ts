/**
 * The ReLU RNN (`@learnability/rnn`) as a credit network: h_t = relu(W_ih x_t/√d + W_hh h_{t−1}/√n
 * + b_h), o_t = W_ho h_t/√n + b_o. Hidden signals are one time-major (T, R, B, n) tensor for all
 * steps (each step a contiguous slice); the backward pass runs through time (through W_hh and
 * W_ho, or their stand-ins); DFA projects each step's error e_t to h_t through one fixed (o, n)
 * matrix, with nothing sent back through time.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model, Params } from '@learnability/core';
import { activationGate } from './activation-gate.js';
import type { CreditNetwork, NetTrace } from './credit-network.js';

/** The public shape of a `@learnability/rnn` model that this network reads (`RnnModel`'s). */
export interface RnnLike extends Model {
  readonly config: Readonly<Record<'inputSize' | 'steps' | 'width' | 'outputSize', number>>;
  /** x (R, B, T, d) → every z_t and h_t, time-major (T, R, B, n), and the output. */
  sequence(params: Params, x: tf.Tensor): { z: tf.Tensor; h: tf.Tensor; output: tf.Tensor };
  /** a, gate (T, R, B, n), w (R, n, n) → g: g_{T−1} = a_{T−1}, g_t = a_t + (gate_{t+1} ⊙ g_{t+1})·wᵀ. */
  scanBack(a: tf.Tensor, gate: tf.Tensor, w: tf.Tensor): tf.Tensor;
}

export function isRnnLike(model: Model): model is RnnLike {
  const m = model as Partial<RnnLike>;
  const c = m.config;
  return (
    model.name === 'rnn' &&
    typeof c?.width === 'number' &&
    typeof c.steps === 'number' &&
    typeof c.inputSize === 'number' &&
    typeof m.sequence === 'function' &&
    typeof m.scanBack === 'function'
  );
}

export function rnnNetwork(model: RnnLike): CreditNetwork {
  const { inputSize: d, steps: T, width: n, outputSize: o } = model.config;
  const R = model.replicas;
  const sn = 1 / Math.sqrt(n);
  /** (R, B, T·o) → time-major (T, R, B, o). */
  const errorByStep = (e: tf.Tensor) => tf.transpose(tf.reshape(e, [R, -1, T, o]), [2, 0, 1, 3]);
  /** Time-major (T, R, B, k) → (R, T·B, k): rows every update sums over (one replica: the same layout, no copy). */
  const rowsOf = (t: tf.Tensor) =>
    tf.reshape(R === 1 ? t : tf.transpose(t, [1, 0, 2, 3]), [R, -1, t.shape[3] as number]);

  return {
    feedbackNames: ['whh', 'who'],
    projectionShapes: [[o, n]],

    trace(params, x): NetTrace {
      // Every step at once, time-major; the recurrence is one kernel where the backend has it.
      const { z: Z, h: H, output } = model.sequence(params, x);
      // h_{t−1} for every step: h_{−1} = 0, then h_0 … h_{T−2}.
      const Hprev = tf.concat([tf.zerosLike(tf.slice(H, 0, 1)), tf.slice(H, 0, T - 1)]);
      const X = tf.transpose(x, [2, 0, 1, 3]);
      return { gates: [activationGate('relu', Z)], inputs: [X, Hprev, H], output };
    },

    backward(weights, gates, e) {
      // Readout's share at every step at once: e_t W_hoᵀ / √n, (T, R, B, o) → (T, R, B, n); then
      // g_t = W_hoᵀ e_t/√n + W_hhᵀ (σ′_{t+1} ⊙ g_{t+1})/√n back through time, g_{T−1} its share alone.
      const who = tf.mul(weights.who as tf.Tensor, sn);
      const whh = tf.mul(weights.whh as tf.Tensor, sn);
      const readout = tf.matMul(tf.reshape(errorByStep(e), [T * R, -1, o]), tf.tile(who, [T, 1, 1]), false, true);
      return [model.scanBack(tf.reshape(readout, [T, R, -1, n]), gates[0] as tf.Tensor, whh)];
    },

    project(projections, e) {
      // e_t D for every step: (T, R, B, o) @ (R, o, n) → (T, R, B, n)
      const D = tf.tile(projections[0] as tf.Tensor, [T, 1, 1]);
      return [tf.reshape(tf.matMul(tf.reshape(errorByStep(e), [T * R, -1, o]), D), [T, R, -1, n])];
    },

    update(inputs, deltas, e) {
      const [X, Hprev, H] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor];
      const delta = rowsOf(deltas[0] as tf.Tensor);
      const err = rowsOf(errorByStep(e));
      // Weight sharing: each sum runs over batch and time, (R, T·B, ·)ᵀ @ (R, T·B, ·).
      return {
        wih: tf.mul(tf.matMul(rowsOf(X), delta, true, false), 1 / Math.sqrt(d)),
        whh: tf.mul(tf.matMul(rowsOf(Hprev), delta, true, false), sn),
        bh: tf.sum(delta, 1, true),
        who: tf.mul(tf.matMul(rowsOf(H), err, true, false), sn),
        bo: tf.sum(err, 1, true),
      };
    },
  };
}
