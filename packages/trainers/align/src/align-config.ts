/**
 * The credit-assignment rules (Boopathy & Fiete 2022, PAPERS.md §4), all plain SGD on the MSE:
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
 */
export type AlignRule = 'backprop' | 'align-zero' | 'align-ada' | 'fa' | 'dfa';

export const ALIGN_RULES: readonly AlignRule[] = ['backprop', 'align-zero', 'align-ada', 'fa', 'dfa'];

/**
 * Which σ′ gates Align-ada's update at layer l (PAPERS.md §4, "two readings"). Both send the
 * error back through the frozen network (W⁰ and σ′(z⁰) above layer l) and agree at step 0.
 * - `current`: σ′(z_l(θ_t)), the paper's written formula.
 * - `frozen`: σ′(z⁰_l), what the authors' MLP code computes with its stop-gradient construction.
 */
export type AdaGate = 'frozen' | 'current';

export const ADA_GATES: readonly AdaGate[] = ['current', 'frozen'];

export interface AlignConfig {
  /** The rule. Required. */
  rule: AlignRule;
  /**
   * Learning rate η of θ ← θ − η·update, with the MSE averaged over batch and outputs. Default 1
   * (NTK-parameterised networks take O(1–10) rates; PAPERS.md §4).
   */
  lr?: number;
  /**
   * Align-ada's gate (ignored by other rules). Default 'current': the paper's written rule; it
   * tracks backprop more closely at small widths, where the code's frozen gate can diverge
   * (PAPERS.md §4), and the authors' own conv code uses the current σ′ at its last hidden layer.
   */
  gate?: AdaGate;
  /** Seed of FA's random backward matrices and DFA's projections (replica r uses seed + r). Default 0. */
  seed?: number;
}

export type ResolvedAlignConfig = Required<AlignConfig>;

export const ALIGN_DEFAULTS: Omit<ResolvedAlignConfig, 'rule'> = { lr: 1, gate: 'current', seed: 0 };
