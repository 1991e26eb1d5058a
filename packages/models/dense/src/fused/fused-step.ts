/**
 * The dense model's fused SGD step: the whole step as the `DENSE_SGD_STEP` kernel when the
 * current backend has it registered (an app passes `DENSE_KERNELS` to `setupBackend`; wasm and
 * webgpu have one) and the model and rule are ones it covers; otherwise `unsupported` says why
 * and the trainer runs the generic path.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, FusedSgdStep, Params, SgdRule } from '@learnability/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { ResolvedDenseConfig } from '../dense-config.js';
import { DENSE_SGD_STEP } from './kernel-contract.js';
import type { DenseSgdStepAttrs } from './kernel-contract.js';
import { DENSE_SGD_STEP_LOSSES, isDenseStepLoss as isKernelLoss } from './losses.js';

export function denseFusedSgdStep(c: ResolvedDenseConfig, sizes: readonly number[]): FusedSgdStep {
  const layers = sizes.length - 1;
  // z_l = scale_l · a W + b: the NTK parameterisation divides by √fan_in (dense.ts).
  const scales = sizes.slice(0, -1).map((fanIn) => (c.parameterization === 'ntk' ? 1 / Math.sqrt(fanIn) : 1));
  return {
    unsupported(rule: SgdRule): string | null {
      if (c.activation !== 'relu') return `the fused step covers ReLU MLPs, not activation "${c.activation}"`;
      if (!isKernelLoss(rule.loss)) return `the fused step does not compute loss "${rule.loss}"`;
      const backend = tf.getBackend();
      if (!tf.getKernel(DENSE_SGD_STEP, backend))
        return `backend "${backend}" has no fused dense step kernel registered (wasm and webgpu have one, through setupBackend's kernels: DENSE_KERNELS)`;
      return null;
    },
    step(params: Params, batch: Batch, rule: SgdRule): { params: Params; loss: Tensor } {
      if (!isKernelLoss(rule.loss))
        throw new Error(`dense fused step: loss "${rule.loss}" is not one of ${DENSE_SGD_STEP_LOSSES.join(', ')}`);
      const inputs: Record<string, Tensor> = {};
      for (let l = 0; l < layers; l++) {
        for (const name of [`w${l}`, `b${l}`]) {
          const t = params[name];
          if (!t) throw new Error(`dense fused step: missing parameter "${name}"`);
          inputs[name] = t;
        }
      }
      const attrs: DenseSgdStepAttrs = { layers, scales, loss: rule.loss, lr: rule.lr, weightDecay: rule.weightDecay };
      // The kernel reads float32 only: an int32 or bool batch, which the generic step's ops cast,
      // is cast here for it, and the copies freed however the kernel ends. (Not a tidy: a kernel
      // may keep tensors of its own across steps.)
      const [x, y] = [batch.x, batch.y].map((t) => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'))) as [
        Tensor,
        Tensor,
      ];
      let outs: Tensor[];
      try {
        outs = tf.engine().runKernel(DENSE_SGD_STEP, { ...inputs, x, y }, attrs) as Tensor[];
      } finally {
        if (x !== batch.x) x.dispose();
        if (y !== batch.y) y.dispose();
      }
      const next: Params = {};
      for (let l = 0; l < layers; l++) {
        next[`w${l}`] = outs[2 * l] as Tensor;
        next[`b${l}`] = outs[2 * l + 1] as Tensor;
      }
      return { params: next, loss: outs[2 * layers] as Tensor };
    },
  };
}
