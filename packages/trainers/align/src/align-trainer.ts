import * as tf from '@tensorflow/tfjs-core';
import { assert, assertConfigObject, replicaRngs, resolveOptions } from '@learnability/core';
import type { Model, Params, Trainer } from '@learnability/core';
import { createGradientTrainer, scale } from '@learnability/sgd';
import { ALIGN_RULE_SCHEMAS, ALIGN_RULES, ALIGN_SCHEMA } from './align-config.js';
import type { AlignConfig, AlignRule } from './align-config.js';
import { creditNetworkFor } from './networks/network-for.js';
import { ruleUpdate } from './rules.js';
import type { RuleTensors } from './rules.js';

/** Slot-name prefixes: θ₀ as `theta0.<param>`, FA's matrices as `feedback.<param>`, DFA's as `projection.<i>`. Private: read a state through `ruleTensorsOf`. */
const SLOT_PREFIX = { initial: 'theta0.', feedback: 'feedback.', projection: 'projection.' } as const;

function withPrefix(slots: Record<string, tf.Tensor>, prefix: string): Params {
  const out: Params = {};
  for (const [k, t] of Object.entries(slots)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = t;
  return out;
}

/**
 * The fixed tensors an Align trainer's state (or a checkpoint of it) holds, by role: θ₀ (Align
 * rules), FA's backward matrices under the weight names they stand in for, DFA's projections in
 * hidden-signal order. Absent roles are empty. The tensors are the state's own.
 */
export function ruleTensorsOf(slots: Record<string, tf.Tensor>): Required<RuleTensors> {
  return {
    initial: withPrefix(slots, SLOT_PREFIX.initial),
    feedback: withPrefix(slots, SLOT_PREFIX.feedback),
    // Keys `0`, `1`, …: integer-like keys enumerate in ascending numeric order, the hidden-signal order.
    projections: Object.values(withPrefix(slots, SLOT_PREFIX.projection)),
  };
}

/**
 * The fixed tensors a rule keeps as slots: θ₀ (Align rules); FA's backward matrices, drawn like the
 * model's own weights from streams apart from the run's; DFA's projections, replica r's entries
 * N(0, 1/cols) from its own stream, (R, rows, cols) each.
 */
function fixedTensors(rule: AlignRule, seed: number, model: Model, params: Params): Record<string, tf.Tensor> {
  const net = creditNetworkFor(model);
  const slots: Record<string, tf.Tensor> = {};
  if (rule === 'align-zero' || rule === 'align-ada')
    for (const [k, t] of Object.entries(params)) slots[`${SLOT_PREFIX.initial}${k}`] = t.clone();
  const rngs = replicaRngs(seed, model.replicas);
  if (rule === 'fa') {
    const fresh = model.init(rngs.map((r) => r.fork('feedback-alignment')));
    for (const [k, t] of Object.entries(fresh)) {
      if (net.feedbackNames.includes(k)) slots[`${SLOT_PREFIX.feedback}${k}`] = t;
      else t.dispose();
    }
  }
  if (rule === 'dfa')
    net.projectionShapes.forEach(([rows, cols], i) => {
      const values = new Float32Array(model.replicas * rows * cols);
      rngs.forEach((rng, r) =>
        rng
          .fork(`dfa-projection-${i}`)
          .normals(values.subarray(r * rows * cols, (r + 1) * rows * cols), 1 / Math.sqrt(cols)),
      );
      slots[`${SLOT_PREFIX.projection}${i}`] = tf.tensor3d(values, [model.replicas, rows, cols]);
    });
  return slots;
}

/**
 * A backprop-free trainer (or the backprop reference): the rule's signal in place of ∇L, through
 * `scale(−lr)`, on `@learnability/sgd`'s gradient trainer. The state keeps every fixed tensor in
 * `slots` — the frozen θ₀, FA's matrices, DFA's projections — so a checkpoint restores it
 * exactly; `step` never changes them.
 */
export function createAlignTrainer(config: AlignConfig): Trainer {
  assertConfigObject('align', config, "{ rule: 'align-ada', lr: 0.05 }");
  assert(
    ALIGN_RULES.includes(config.rule),
    () => `align.rule must be one of ${ALIGN_RULES.join(', ')}, but got ${String(config.rule)}`,
  );
  // Checked against the rule's own options, so one it does not read (FA's `gate`) is refused, as
  // presets refuses it, not ignored; then every option gets its default for the rules' code.
  resolveOptions('align', ALIGN_RULE_SCHEMAS[config.rule], config, ['rule']);
  const options = resolveOptions('align', ALIGN_SCHEMA, config, ['rule']);
  const c = { ...options, seed: options.seed ?? 0 };
  const name = c.rule === 'align-ada' ? `align-ada-${c.gate}` : c.rule;
  return createGradientTrainer({
    name,
    source: (model, params, batch, _completed, slots) => {
      const net = creditNetworkFor(model);
      const { loss, update } = ruleUpdate(net, c.rule, c.gate, params, ruleTensorsOf(slots), batch.x, batch.y);
      return { loss, grads: update };
    },
    transform: scale(-c.lr),
    fixed: (model, params) => fixedTensors(c.rule, c.seed, model, params),
    // The rule and the options it reads (a gate is Align-ada's, a feedback seed FA's and DFA's).
    describe: () => {
      const read = Object.entries(c).filter(([k]) => k in ALIGN_RULE_SCHEMAS[c.rule].fields);
      return { name, rule: c.rule, ...Object.fromEntries(read) };
    },
  });
}
