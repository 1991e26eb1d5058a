/**
 * One training step's update for every rule, as a choice of matrices, gates and layer inputs
 * for the credit network's one backward pass (docs/papers.md §4):
 *
 * | rule             | back through | gate crossing layers above | gate at layer l | layer input |
 * |------------------|--------------|----------------------------|-----------------|-------------|
 * | backprop         | W_t          | σ′(z_t)                    | σ′(z_t)         | a(θ_t)      |
 * | align-zero       | W⁰           | σ′(z⁰)                     | σ′(z⁰)          | a(θ₀)       |
 * | align-ada frozen | W⁰           | σ′(z⁰)                     | σ′(z⁰)          | a(θ_t)      |
 * | align-ada current| W⁰           | σ′(z⁰)                     | σ′(z_t)         | a(θ_t)      |
 * | fa               | B (random)   | σ′(z_t)                    | σ′(z_t)         | a(θ_t)      |
 * | dfa              | D e directly | —                          | σ′(z_t)         | a(θ_t)      |
 * | readout-only     | — (0)        | —                          | —               | a(θ_t)      |
 *
 * The output error is always the current network's: e = ∂L/∂f = 2(f_θt(x) − y)/(B·outputs).
 * Readout-only sends nothing back: every hidden update is 0 and the readout learns by the delta rule.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert } from '@learnability/core';
import type { Params } from '@learnability/core';
import { perReplicaLoss } from '@learnability/sgd';
import { ALIGN_RULES, ALIGN_SCHEMA } from './align-config.js';
import type { AdaGate, AlignRule } from './align-config.js';
import type { CreditNetwork } from './networks/credit-network.js';

/** The tensors a rule reads besides the current parameters. */
export interface RuleTensors {
  /** θ₀ (Align rules). */
  initial?: Params;
  /** FA's fixed backward matrices, under the names they stand in for. */
  feedback?: Params;
  /** DFA's fixed projections, one per hidden signal. */
  projections?: tf.Tensor[];
}

function need<T>(value: T | undefined, what: string, rule: AlignRule): T {
  if (value === undefined) throw new Error(`${rule}: missing ${what} in the trainer state`);
  return value;
}

/**
 * Per-replica MSE (R,) of the current network and the gradient-shaped update of every
 * parameter. Call inside a tidy.
 */
export function ruleUpdate(
  net: CreditNetwork,
  rule: AlignRule,
  gate: AdaGate,
  params: Params,
  tensors: RuleTensors,
  x: tf.Tensor,
  y: tf.Tensor,
): { loss: tf.Tensor; update: Params } {
  // Before any tensor: an unknown rule returned nothing, and a misspelt gate gave the current one.
  assert(
    ALIGN_RULES.includes(rule),
    () => `ruleUpdate: rule must be one of ${ALIGN_RULES.join(', ')}, but got ${String(rule)}`,
  );
  const gates = ALIGN_SCHEMA.fields.gate.values;
  assert(gates.includes(gate), () => `ruleUpdate: gate must be ${gates.join(' or ')}, but got ${String(gate)}`);
  const current = net.trace(params, x);
  const loss = perReplicaLoss('mse', current.output, y);
  const diff = tf.sub(current.output, y);
  const e = tf.mul(diff, (2 * (diff.shape[0] as number)) / diff.size);
  /** The loss and the update from hidden signals g, gated by `gates`, with `inputs` (default: current). */
  const updateFrom = (g: tf.Tensor[], gates = current.gates, inputs = current.inputs) => ({
    loss,
    update: net.update(
      inputs,
      g.map((gi, i) => tf.mul(gates[i] as tf.Tensor, gi)),
      e,
    ),
  });
  switch (rule) {
    case 'backprop':
      return updateFrom(net.backward(params, current.gates, e));
    case 'align-zero':
    case 'align-ada': {
      const initial = need(tensors.initial, 'θ₀', rule);
      const frozen = net.trace(initial, x);
      const g = net.backward(initial, frozen.gates, e);
      if (rule === 'align-zero') return updateFrom(g, frozen.gates, frozen.inputs);
      return updateFrom(g, gate === 'frozen' ? frozen.gates : current.gates);
    }
    case 'fa':
      return updateFrom(net.backward(need(tensors.feedback, 'feedback matrices', rule), current.gates, e));
    case 'dfa':
      return updateFrom(net.project(need(tensors.projections, 'projections', rule), e));
    case 'readout-only':
      return updateFrom(current.gates.map((g) => tf.zerosLike(g)));
  }
}
