/**
 * The looped transformer's fused step: the whole truncated-loop training step as the `LOOPED_STEP`
 * kernel when the current backend has it registered (an app passes `LOOPED_KERNELS` to
 * `setupBackend`; webgpu has one); otherwise `unsupported` says why and `@learnability/looped-adam`
 * runs the generic TF.js path. The optimiser comes from the trainer (`update`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { ResolvedLoopedTransformerConfig } from '../config.js';
import { attentionKernelTakes } from '../attention.js';
import { layerNormKernelTakes } from '../layer-norm.js';
import { ATTENTION, GELU, LAYER_NORM } from './block-kernels.js';
import { kernelsRegistered } from '@learnability/core';
import { LOOPED_STEP, stepInputNames } from './kernel-contract.js';
import type { LoopedStepAttrs, LoopedUpdateRule } from './kernel-contract.js';

/** What one step runs: b loops, the last T with gradient, on the first `points` in-context points (null: all). */
export interface FusedLoopPlan {
  loops: number;
  lossLoops: number;
  points: number | null;
}

export interface LoopedFusedStep {
  /** Why the fused step cannot run on the current backend, or null when it can. */
  unsupported(): string | null;
  /**
   * One step from θ (`params`) and the update rule's state (`slots`: `${name}.${slot}`): the new θ
   * and state, and the (R,) loss. The inputs stay the caller's.
   */
  step(args: {
    params: Params;
    slots: Record<string, Tensor>;
    x: Tensor;
    y: Tensor;
    plan: FusedLoopPlan;
    update: LoopedUpdateRule;
  }): { params: Params; slots: Record<string, Tensor>; loss: Tensor };
}

export function loopedFusedStep(c: ResolvedLoopedTransformerConfig): LoopedFusedStep {
  return {
    unsupported() {
      const backend = tf.getBackend();
      if (tf.getKernel(LOOPED_STEP, backend)) return null;
      // On wasm LOOPED_KERNELS has no whole step, but it has the block's GELU, LayerNorm and
      // attention, each for the shapes it takes (layer-norm.ts, attention.ts): said as they run.
      if (kernelsRegistered(GELU, LAYER_NORM, ATTENTION)) {
        const D = c.embedSize;
        // Each part and, where the kernel does not take the model's shapes, why.
        const parts: [string, string | null][] = [
          ['GELU', null],
          ['LayerNorm', layerNormKernelTakes(D) ? null : `D = ${D}`],
          ['attention', attentionKernelTakes(D, c.heads) ? null : `the head size ${D / c.heads}`],
        ];
        const kernels = parts.filter(([, why]) => why === null).map(([name]) => name);
        const ops = parts.filter(([, why]) => why !== null);
        const listed = (names: string[]) => names.join(', ').replace(/, ([^,]*)$/, ' and $1');
        const run =
          kernels.length === 1 ? `GELU runs as a ${backend} kernel` : `${listed(kernels)} run as ${backend} kernels`;
        const why = ops.map(([, w]) => w).join(' and ');
        return ops.length === 0
          ? `no whole-step kernel on ${backend} (webgpu has one); ${run}`
          : `no whole-step kernel on ${backend} (webgpu has one); ${run}; ${listed(ops.map(([name]) => name))} as TF.js ops (${why} ${ops.length > 1 ? 'are not multiples' : 'is not a multiple'} of 4)`;
      }
      return `backend "${backend}" has no fused looped-transformer step kernel registered (webgpu has one, through setupBackend's kernels: LOOPED_KERNELS)`;
    },
    step({ params, slots, x, y, plan, update }) {
      const promptTokens = x.shape[2] as number;
      // The points curriculum's prefix, as looped-adam's promptPrefix takes it.
      const tokens =
        plan.points !== null && c.readout === 'interleaved' && plan.points < (y.shape[2] as number)
          ? 2 * plan.points
          : promptTokens;
      // x, y, then θ and its slots per parameter (made once per rule's slots: a step runs every few ms).
      const names = stepInputNames(c.layers, update.slots);
      const inputs: Record<string, Tensor> = { x, y };
      for (let i = 2; i < names.length; i++) {
        const key = names[i] as string;
        const t = params[key] ?? slots[key];
        if (!t) throw new Error(`looped-transformer fused step: missing "${key}"`);
        inputs[key] = t;
      }
      const attrs: LoopedStepAttrs = {
        layers: c.layers,
        heads: c.heads,
        readout: c.readout,
        layerNormEpsilon: c.layerNormEpsilon,
        loops: plan.loops,
        lossLoops: plan.lossLoops,
        tokens,
        update,
      };
      const outs = tf.engine().runKernel(LOOPED_STEP, inputs, attrs) as Tensor[];
      const nextParams: Params = {};
      const nextSlots: Record<string, Tensor> = {};
      const per = 1 + update.slots.length; // θ, then its slots, per parameter
      for (let i = 2; i < names.length; i++)
        ((i - 2) % per === 0 ? nextParams : nextSlots)[names[i] as string] = outs[i - 2] as Tensor;
      return { params: nextParams, slots: nextSlots, loss: outs[names.length - 2] as Tensor };
    },
  };
}
