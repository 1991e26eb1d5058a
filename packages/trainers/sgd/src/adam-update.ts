/**
 * Adam's update of every parameter as one kernel call, where the backend has the kernel
 * (`ADAM_KERNELS`: webgpu). Composed of TF.js ops, `chain(scaleByAdam, scale(−lr))` and the
 * decoupled decay are 13 kernels a parameter, and on a real GPU each is a dispatch at 55–90 µs;
 * the kernel is one submit a step.
 *
 * - ADAM_UPDATE: { p<i>, g<i>, m<i>, v<i> } for i < count (θ, its gradient and both moments;
 *   each four the same shape), attrs `AdamUpdateAttrs` → [θ'_0 … θ'_{count−1}, m'_0 …, v'_0 …]:
 *   m' = β₁m + (1 − β₁)g, v' = β₂v + (1 − β₂)g², θ' = θ − lr·m̂/(√v̂ + ε) − lr·λ·θ at 1-based step
 *   t (wgsl-adam.ts has the arithmetic; the chain's, to float tolerance).
 * Float32. Where a backend has no such kernel, the trainer runs the chain.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelsRegistered } from '@learnability/core';
import type { Params } from '@learnability/core';
import type { FusedUpdate } from './gradient-trainer.js';
import type { AdamHyper } from './wgsl-adam.js';

export const ADAM_UPDATE = 'LearnabilityAdamUpdate';

/** Adam's hyper-parameters and the 1-based step; a type, so it is a TF.js `NamedAttrMap` as it stands. */
export type AdamUpdateAttrs = AdamHyper & { count: number; step: number };

/**
 * Every parameter's Adam step by the kernel (check `kernelsRegistered(ADAM_UPDATE)` first): the new params and
 * their `<name>.m`, `<name>.v` slots, from θ_t, the gradients and the slots of `slots`.
 */
export function adamUpdateByKernel(
  params: Params,
  grads: Params,
  slots: Record<string, tf.Tensor>,
  hyper: AdamHyper,
  step: number,
): { params: Params; slots: Record<string, tf.Tensor> } {
  const names = Object.keys(params);
  const inputs: Record<string, tf.Tensor> = {};
  names.forEach((name, i) => {
    const want = (t: tf.Tensor | undefined, what: string) => {
      if (!t) throw new Error(`${ADAM_UPDATE}: no ${what} of parameter ${name}`);
      return t;
    };
    inputs[`p${i}`] = params[name] as tf.Tensor;
    inputs[`g${i}`] = want(grads[name], 'gradient');
    inputs[`m${i}`] = want(slots[`${name}.m`], 'slot m');
    inputs[`v${i}`] = want(slots[`${name}.v`], 'slot v');
  });
  const { lr, beta1, beta2, epsilon, weightDecay } = hyper; // only these: a trainer's config may hold more
  const attrs: AdamUpdateAttrs = { lr, beta1, beta2, epsilon, weightDecay, count: names.length, step };
  const out = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs) as tf.Tensor[];
  const n = names.length;
  return {
    params: Object.fromEntries(names.map((name, i) => [name, out[i] as tf.Tensor])),
    slots: Object.fromEntries(
      names.flatMap((name, i) => [
        [`${name}.m`, out[n + i] as tf.Tensor],
        [`${name}.v`, out[2 * n + i] as tf.Tensor],
      ]),
    ),
  };
}

/** Adam's `GradientTrainerSpec.fusedUpdate` (createAdam's and looped-adam's): the kernel, where the active backend has it. */
export const adamFusedUpdate = (hyper: AdamHyper): FusedUpdate => ({
  ready: () => kernelsRegistered(ADAM_UPDATE),
  describe: () => `Adam's update of every parameter runs as one ${tf.getBackend()} kernel`,
  update: (params, grads, slots, step) => adamUpdateByKernel(params, grads, slots, hyper, step),
});
