/**
 * The losses the fused dense step computes, each written once: its value and its derivative
 * with respect to the prediction, in plain JS (what the float64 reference and the wasm kernel
 * run) and in WGSL (what the WebGPU kernel runs), side by side. The formulas are
 * @learnability/sgd's `perReplicaLoss`; the reference tests hold every backend to them.
 */
import { assert, showValue } from '@learnability/core';

/** softplus(t) = log(1 + eᵗ), stable for large |t|. */
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const f = Math.fround;

interface LossDefinition {
  /** [value, ∂value/∂p] for prediction p and label t. */
  js(p: number, t: number): [number, number];
  /** WGSL statements reading `p`, `t` (f32) and assigning `value`, `d` (declared `var` f32). */
  wgsl: string;
}

export const DENSE_LOSSES = {
  /** relu(1 − t·p); TF's relu gradient is 0 at 0 (step(x) = x > 0). The margin in float32, so every path takes the same branch. */
  hinge: {
    js: (p, t) => {
      const margin = f(1 - f(t * p));
      // A NaN margin (a diverged replica) stays NaN in both, as TF.js's relu and step keep it.
      return margin > 0 ? [margin, -t] : margin <= 0 ? [0, 0] : [margin, margin];
    },
    // NaN told by its bits: WGSL lets a compiler assume no NaN and fold a comparison test away.
    wgsl: 'let margin = 1.0 - t * p; let isNan = (bitcast<u32>(margin) & 0x7fffffffu) > 0x7f800000u; value = select(select(margin, 0.0, margin <= 0.0), margin, isNan); d = select(select(0.0, -t, margin > 0.0), margin, isNan);',
  },
  /** (p − t)². */
  mse: {
    js: (p, t) => [(p - t) * (p - t), 2 * (p - t)],
    wgsl: 'value = (p - t) * (p - t); d = 2.0 * (p - t);',
  },
  /** softplus(−t·p); d/dp = −t·σ(−t·p). */
  logistic: {
    js: (p, t) => [softplus(-t * p), -t * sigmoid(-t * p)],
    // log(1 + e) as log1p (Kahan): in float32 1 + e rounds to 1 past a margin of ~16, and a nearly
    // fitted replica's loss read 0 (2e-9 at margin 20), 6 % off from 14 on.
    wgsl: 'let s = -t * p; let tail = exp(-abs(s)); let u = 1.0 + tail; value = max(s, 0.0) + select(log(u) * (tail / (u - 1.0)), tail, u == 1.0); d = -t / (1.0 + exp(-s));',
  },
  /** −t·p. */
  correlation: {
    js: (p, t) => [-t * p, -t],
    wgsl: 'value = -t * p; d = -t;',
  },
} satisfies Record<string, LossDefinition>;

export type DenseSgdStepLoss = keyof typeof DENSE_LOSSES;
export const DENSE_SGD_STEP_LOSSES = Object.keys(DENSE_LOSSES) as DenseSgdStepLoss[];
export const isDenseStepLoss = (loss: string): loss is DenseSgdStepLoss => Object.hasOwn(DENSE_LOSSES, loss);

/**
 * The loss of one replica and its gradient with respect to the predictions: ŷ and y are
 * (B·out) values, the result is their mean loss and δ = ∂loss/∂ŷ (the mean's, so divided by
 * B·out) is written to `delta`.
 */
export function lossAndDelta(
  loss: DenseSgdStepLoss,
  yHat: ArrayLike<number>,
  y: ArrayLike<number>,
  delta: { [i: number]: number; length: number },
): number {
  // An unknown name was a TypeError reading its rule; targets of another length, NaN.
  assert(
    isDenseStepLoss(loss),
    () => `lossAndDelta: loss must be one of ${DENSE_SGD_STEP_LOSSES.join(', ')}, but got ${showValue(loss)}`,
  );
  assert(
    y.length === yHat.length && delta.length >= yHat.length,
    () =>
      `lossAndDelta: y (${y.length}) and delta (${delta.length}) must hold one value per prediction (${yHat.length})`,
  );
  const count = yHat.length;
  const rule = DENSE_LOSSES[loss];
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const [value, d] = rule.js(yHat[i] as number, y[i] as number);
    sum += value;
    delta[i] = d / count;
  }
  return sum / count;
}
