import { defineSchema } from '@learnability/core';
import type { OptionsOf, PartSchema } from '@learnability/core';

/**
 * The credit-assignment rules (Boopathy & Fiete 2022, docs/papers.md §4), all plain SGD on the MSE:
 *
 * - `backprop`: the exact gradient, computed by the same hand-written backward pass the other
 *   rules use (a reference that shares their code path; equal to `tf.grad`).
 * - `align-zero`: ΔW_l = −η Σ_x δ⁰_l(x) a⁰_{l−1}(x)ᵀ — the initial network's backward signal for
 *   the current error, times the initial network's layer input: the NTK-linearised update J₀ᵀe.
 * - `align-ada`: ΔW_l = −η Σ_x [σ′ ⊙ g⁰_l(x)] a_{l−1}(x; θ_t)ᵀ — the error sent back through the
 *   frozen initial network, times the current layer input; the readout gets the exact delta rule.
 * - `fa`: feedback alignment (Lillicrap et al. 2016): backprop with fixed random matrices in place
 *   of the weights on the way back.
 * - `dfa`: direct feedback alignment (Nøkland 2016): the error sent to each hidden layer through
 *   a fixed random projection.
 * - `readout-only`: the hidden layers stay at θ₀ and the readout learns by the delta rule — the
 *   baseline of the authors' code that says what the hidden layers' learning adds.
 */
export type AlignRule = 'backprop' | 'align-zero' | 'align-ada' | 'fa' | 'dfa' | 'readout-only';

export const ALIGN_RULES: readonly AlignRule[] = ['backprop', 'align-zero', 'align-ada', 'fa', 'dfa', 'readout-only'];

/** The Align trainers' options, each with its default written once; `rule` is not an option but the trainer's name. */
export const ALIGN_SCHEMA = defineSchema({
  lr: {
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    doc: 'learning rate η (MSE averaged over batch and outputs)',
    why: 'NTK-parameterised networks take O(1–10) rates (docs/papers.md §4)',
  },
  /**
   * Which σ′ gates Align-ada's update at layer l (docs/papers.md §4, "two readings"). Both send the
   * error back through the frozen network (W⁰ and σ′(z⁰) above layer l) and agree at step 0.
   * - `current`: σ′(z_l(θ_t)), the paper's written formula.
   * - `frozen`: σ′(z⁰_l), what the authors' MLP code computes with its stop-gradient construction.
   */
  gate: {
    type: 'enum',
    values: ['current', 'frozen'],
    default: 'current',
    doc: "σ′ gating layer l's update: current (the paper's formula) or frozen (the authors' MLP code)",
    why: "the paper's rule tracks backprop more closely at small widths, where the code's frozen gate can diverge (docs/papers.md §4); the authors' conv code uses the current σ′ at its last hidden layer",
  },
  /**
   * FA's and DFA's feedback draw. Unset, a run's feedback follows its seed (presets passes
   * `run.seed`), so a study over seeds samples the feedback as it samples θ₀ and the data; the
   * draws come from streams forked apart from θ₀'s, so the two never coincide.
   */
  seed: {
    type: 'int?',
    default: null,
    min: 0,
    max: 2 ** 31,
    doc: "seed of the fixed random feedback, replica r using seed + r (null: the run's seed; 0 outside a run config)",
  },
});

export type AlignOptions = OptionsOf<typeof ALIGN_SCHEMA.fields>;
export type AdaGate = AlignOptions['gate'];

const { lr, gate, seed } = ALIGN_SCHEMA.fields;

/**
 * The options each rule reads, as its own schema: the learning rate; Align-ada's gate; FA's and
 * DFA's feedback seed. A config that names an option its rule ignores is an error in presets.
 */
export const ALIGN_RULE_SCHEMAS = {
  backprop: defineSchema({ lr }),
  'align-zero': defineSchema({ lr }),
  'align-ada': defineSchema({ lr, gate }),
  fa: defineSchema({ lr, seed }),
  dfa: defineSchema({ lr, seed }),
  'readout-only': defineSchema({ lr }),
} as const satisfies Record<AlignRule, PartSchema>;

/** A rule and its options; options not given take their defaults (`gate` is read by Align-ada only, `seed` by FA and DFA; `seed` null or absent is 0). */
export interface AlignConfig extends Partial<AlignOptions> {
  /** The rule. Required. */
  rule: AlignRule;
}
