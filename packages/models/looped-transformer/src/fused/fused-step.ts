/**
 * The looped transformer's fused Adam step: the whole truncated-loop Adam step as the
 * `LOOPED_ADAM_STEP` kernel when the current backend has it registered (an app passes
 * `LOOPED_KERNELS` to `setupBackend`; webgpu has one); otherwise `unsupported` says why and
 * `@learnability/looped-adam` runs the generic TF.js path.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { ResolvedLoopedTransformerConfig } from '../config.js';
import { LOOPED_ADAM_STEP, loopedParamNames } from './kernel-contract.js';
import type { LoopedAdamStepAttrs } from './kernel-contract.js';

/** Adam's hyper-parameters, as `@learnability/sgd`'s Adam reads them (`scaleByAdam` + `decoupledDecay`). */
export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** What one step runs: b loops, the last T with gradient, on the first `points` in-context points (null: all). */
export interface FusedLoopPlan {
  loops: number;
  lossLoops: number;
  points: number | null;
}

export interface LoopedFusedAdamStep {
  /** Why the fused step cannot run on the current backend, or null when it can. */
  unsupported(): string | null;
  /**
   * One step from θ (`params`), Adam's moments (`slots`: `${name}.m`, `${name}.v`) and the
   * 1-based step number: the new θ and moments, and the (R,) loss. The inputs stay the caller's.
   */
  step(args: {
    params: Params;
    slots: Record<string, Tensor>;
    step: number;
    x: Tensor;
    y: Tensor;
    plan: FusedLoopPlan;
    adam: AdamHyper;
  }): { params: Params; slots: Record<string, Tensor>; loss: Tensor };
}

export function loopedFusedAdamStep(c: ResolvedLoopedTransformerConfig): LoopedFusedAdamStep {
  const names = loopedParamNames(c.layers);
  return {
    unsupported() {
      const backend = tf.getBackend();
      if (!tf.getKernel(LOOPED_ADAM_STEP, backend))
        return `backend "${backend}" has no fused looped-transformer step kernel registered (setupBackend's kernels: LOOPED_KERNELS)`;
      return null;
    },
    step({ params, slots, step, x, y, plan, adam }) {
      const promptTokens = x.shape[2] as number;
      // The points curriculum's prefix, as looped-adam's promptPrefix takes it.
      const tokens =
        plan.points !== null && c.readout === 'interleaved' && plan.points < (y.shape[2] as number)
          ? 2 * plan.points
          : promptTokens;
      const inputs: Record<string, Tensor> = { x, y };
      const need = (key: string, from: Record<string, Tensor>): Tensor => {
        const t = from[key];
        if (!t) throw new Error(`looped-transformer fused step: missing "${key}"`);
        return t;
      };
      for (const n of names) {
        inputs[n] = need(n, params);
        inputs[`${n}.m`] = need(`${n}.m`, slots);
        inputs[`${n}.v`] = need(`${n}.v`, slots);
      }
      const attrs: LoopedAdamStepAttrs = {
        layers: c.layers,
        heads: c.heads,
        readout: c.readout,
        layerNormEpsilon: c.layerNormEpsilon,
        loops: plan.loops,
        lossLoops: plan.lossLoops,
        tokens,
        ...adam,
        step,
      };
      const outs = tf.engine().runKernel(LOOPED_ADAM_STEP, inputs, attrs) as Tensor[];
      const nextParams: Params = {};
      const nextSlots: Record<string, Tensor> = {};
      names.forEach((n, i) => {
        nextParams[n] = outs[3 * i] as Tensor;
        nextSlots[`${n}.m`] = outs[3 * i + 1] as Tensor;
        nextSlots[`${n}.v`] = outs[3 * i + 2] as Tensor;
      });
      return { params: nextParams, slots: nextSlots, loss: outs[3 * names.length] as Tensor };
    },
  };
}
