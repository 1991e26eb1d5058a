/**
 * A run of gated recurrent steps as one kernel each way: at every step the convolution of the
 * state with the state's filter, the injection added, and the gated update (step.ts). As TF.js
 * ops a step is about 60 kernels forward and back (per-replica convolutions, splits,
 * concatenations, the filter's flips, the tape's additions); as one kernel per step it is still
 * about ten (the tape's copies of what it saves, the additions of ∂inj and ∂w across steps), and
 * at T steps each dispatch costs more than its arithmetic.
 *
 * - RCNN_UNROLL: { s (R·B, H, W, C), inj (R·B, H, W, 2C), w (R, kh, kw, C, 2C) }, attrs { steps,
 *   keep } → [s_steps] or, with keep, [s_steps, states, gates, candidates], the last three
 *   (steps, R·B, H, W, C). From s_0 = s, for each step: z = conv(s, w_r) + inj per replica r
 *   ('same' padding, stride 1, odd sides; replica-major rows as in replica-conv.ts),
 *   [a; z_u] = z, u = σ(z_u), c = tanh(a), s' = s + u⊙(c − s). With keep, step t's input state,
 *   u and c are kept for the gradient, as the ops' tape keeps them.
 * - RCNN_UNROLL_GRAD: { states, gates, candidates, dy (∂s_steps), w } → [∂s_0, ∂inj, ∂w], back
 *   through the steps: ∂z = the gate's gradient (GATED_UPDATE_GRAD's), ∂inj += ∂z,
 *   ∂s = dy − dy⊙u + convᵀ(∂z, w_r), ∂w_r += windows(s)ᵀ·∂z.
 * Float32, C a multiple of 4. wasm and webgpu have the kernels (fused/wasm/, fused/webgpu/);
 * elsewhere the unroll composes the ops, with the same results to float tolerance
 * (fused/unroll-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelsRegistered, tapeRecording } from '@learnability/core';

export const RCNN_UNROLL = 'LearnabilityRcnnUnroll';
export const RCNN_UNROLL_GRAD = 'LearnabilityRcnnUnrollGrad';

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type RcnnUnrollAttrs = {
  steps: number;
  /** Keep each step's state, gate and candidate for the gradient. */
  keep: boolean;
};

/** Whether gated steps of `channels` channels run as the kernels on the active backend. */
export const unrollKernelsReady = (channels: number): boolean =>
  channels % 4 === 0 && kernelsRegistered(RCNN_UNROLL, RCNN_UNROLL_GRAD);

const unrollKernel = (s: tf.Tensor, inj: tf.Tensor, w: tf.Tensor, attrs: RcnnUnrollAttrs) =>
  tf.engine().runKernel(RCNN_UNROLL, { s, inj, w }, attrs) as tf.Tensor[];

/** The kernels as one differentiable op of (s, inj, w) for `steps` steps. */
const differentiableUnroll = (steps: number) =>
  tf.customGrad((...args) => {
    const [s, inj, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor, tf.GradSaveFunc];
    const [last, states, gates, candidates] = unrollKernel(s, inj, w, { steps, keep: true }) as tf.Tensor[];
    save([states, gates, candidates, w] as tf.Tensor[]);
    return {
      value: last as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, [ks, kg, kc, kw]: tf.Tensor[]) =>
        tf.engine().runKernel(RCNN_UNROLL_GRAD, {
          states: ks as tf.Tensor,
          gates: kg as tf.Tensor,
          candidates: kc as tf.Tensor,
          dy,
          w: kw as tf.Tensor,
        }) as tf.Tensor[],
    };
  });

/**
 * `steps` gated steps from s by the kernels (check `unrollKernelsReady` first); the states are
 * kept only where a gradient is being recorded.
 * s (R·B, H, W, C), inj (R·B, H, W, 2C), w (R, kh, kw, C, 2C) → (R·B, H, W, C)
 */
export function fusedUnroll(s: tf.Tensor4D, inj: tf.Tensor4D, w: tf.Tensor, steps: number): tf.Tensor4D {
  if (tapeRecording()) return differentiableUnroll(steps)(s, inj, w) as tf.Tensor4D;
  return unrollKernel(s, inj, w, { steps, keep: false })[0] as tf.Tensor4D;
}
