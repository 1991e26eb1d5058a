/**
 * The whole gated recurrent step as one kernel each way: the convolution of the state with the
 * state's filter, the injection added, and the gated update (step.ts). As TF.js ops a step is
 * about 60 kernels forward and back (per-replica convolutions, splits, concatenations, the
 * filter's flips and the tape's additions); at T steps a training step dispatches thousands.
 *
 * - RCNN_STEP: { s (R·B, H, W, C), inj (R·B, H, W, 2C), w (R, kh, kw, C, 2C) } → [s', u, t],
 *   each shaped like s: z = conv(s, w_r) + inj per replica r ('same' padding, stride 1, odd
 *   sides; replica-major rows as in replica-conv.ts), [a; z_u] = z, u = σ(z_u), t = tanh(a),
 *   s' = s + u⊙(t − s). u and t are kept for the gradient.
 * - RCNN_STEP_GRAD: { s, u, t, dy, w } → [∂s, ∂inj, ∂w]: the gate's gradient ∂z
 *   (GATED_UPDATE_GRAD's), ∂inj = ∂z, ∂s = dy − dy⊙u + convᵀ(∂z, w_r), ∂w_r = Σ windows(s)ᵀ·∂z.
 * Float32, C a multiple of 4. Where a backend has no such kernels (all but wasm), the step
 * composes the ops, with the same results to float tolerance (fused/wasm/step-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

export const RCNN_STEP = 'LearnabilityRcnnStep';
export const RCNN_STEP_GRAD = 'LearnabilityRcnnStepGrad';

const stepByKernels = tf.customGrad((...args) => {
  const [s, inj, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor, tf.GradSaveFunc];
  const [out, u, t] = tf.engine().runKernel(RCNN_STEP, { s, inj, w }) as tf.Tensor4D[];
  save([s, u as tf.Tensor4D, t as tf.Tensor4D, w]);
  return {
    value: out as tf.Tensor4D,
    gradFunc: (dy: tf.Tensor, [ks, ku, kt, kw]: tf.Tensor[]) =>
      tf.engine().runKernel(RCNN_STEP_GRAD, {
        s: ks as tf.Tensor,
        u: ku as tf.Tensor,
        t: kt as tf.Tensor,
        dy,
        w: kw as tf.Tensor,
      }) as tf.Tensor[],
  };
});

const hasKernel = (name: string) => tf.getKernel(name, tf.getBackend()) !== undefined;

/** Whether a gated step of `channels` channels runs as the kernels on the active backend. */
export const stepKernelsReady = (channels: number): boolean =>
  channels % 4 === 0 && hasKernel(RCNN_STEP) && hasKernel(RCNN_STEP_GRAD);

/**
 * The gated step by the kernels (check `stepKernelsReady` first): s_{t+1} from s_t.
 * s (R·B, H, W, C), inj (R·B, H, W, 2C), w (R, kh, kw, C, 2C) → (R·B, H, W, C)
 */
export const fusedGatedStep = (s: tf.Tensor4D, inj: tf.Tensor4D, w: tf.Tensor): tf.Tensor4D =>
  stepByKernels(s, inj, w) as tf.Tensor4D;
