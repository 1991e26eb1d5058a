/**
 * The workspace's Adam in WGSL, for fused kernels that run a whole training step on the GPU (the
 * looped transformer's `fusedStep`): the kernel sums the gradient g of one element of θ and runs
 * these statements on it, so no model package holds optimiser arithmetic.
 *
 * The same arithmetic as `chain(scaleByAdam(β₁, β₂, ε), scale(−lr))` with `decoupledDecay: lr·λ`
 * (gradient-trainer.ts), to float tolerance: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * θ ← θ − lr·m̂/(√v̂ + ε) − lr·λ·θ. The looped-adam fused-step test checks it against that chain.
 */
import type { AdamOptions } from './adam.js';
import { scaleByAdam } from './transforms.js';

/**
 * A per-element update rule for a fused kernel. `wgsl` is statements that read `g` (the summed
 * gradient element), `sc[k]` (`scalars`, this step's) and update `theta: f32` and
 * `s: array<f32, slots.length>` in place, slot k holding the element of `${param}.${slots[k]}`.
 */
export type WgslUpdateRule = { slots: string[]; wgsl: string; scalars: number[] };

/** Adam's hyper-parameters: its options without the loss (`weightDecay`: AdamW's decoupled λ). */
export type AdamHyper = Omit<AdamOptions, 'loss'>;

/**
 * Adam at 1-based step t. Scalars: lr, β₁, β₂, ε, lr·λ, 1 − β₁ᵗ, 1 − β₂ᵗ, 1 − β₁, 1 − β₂ (the last two
 * rounded from float64, as TF.js rounds its scalars).
 */
export function wgslAdam(h: AdamHyper, step: number): WgslUpdateRule {
  const { lr, beta1, beta2, epsilon, weightDecay } = h;
  return {
    slots: [...scaleByAdam(beta1, beta2, epsilon).slots],
    wgsl: /* wgsl */ `
  let m = sc[1] * s[0] + sc[7] * g;
  let v = sc[2] * s[1] + sc[8] * g * g;
  s[0] = m;
  s[1] = v;
  theta = theta - sc[0] * ((m / sc[5]) / (sqrt(v / sc[6]) + sc[3])) - sc[4] * theta;`,
    scalars: [lr, beta1, beta2, epsilon, lr * weightDecay, 1 - beta1 ** step, 1 - beta2 ** step, 1 - beta1, 1 - beta2],
  };
}
