/**
 * The gated update of one recurrent step, s' = s + σ(z_u)⊙(tanh(a) − s) with [a; z_u] = z (the
 * Neural GPU-style gate of step.ts), and its kernels. Composed of TF.js ops it is 6 kernels
 * forward and about 12 back, each a full pass over a (R·B, H, W, C) state, at every one of the T
 * steps; the kernels do it in one pass each way.
 *
 * - GATED_UPDATE: { s (…, C), z (…, 2C) } → [s' (s's shape), u, t (s's shape)], channels last;
 *   z holds a in its first C channels and z_u in the next C; u = σ(z_u) and t = tanh(a) are kept
 *   for the gradient (as the ops' tape keeps them).
 * - GATED_UPDATE_GRAD: { s, u, t, dy } → [∂L/∂s (s's shape), ∂L/∂z (z's shape)]:
 *   ∂s = dy − dy⊙u, ∂a = (dy⊙u)⊙(1 − t²), ∂z_u = (dy⊙(t − s))⊙(u⊙(1 − u)).
 * Float32, C a multiple of 4. A backend may implement them (fused/wasm/gate-kernels.ts); where it
 * does not, the ops compute the same maths (to float tolerance; fused/wasm/gate-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelsRegistered } from '@learnability/core';

export const GATED_UPDATE = 'LearnabilityRcnnGatedUpdate';
export const GATED_UPDATE_GRAD = 'LearnabilityRcnnGatedUpdateGrad';

/** The gated update composed of TF.js ops, differentiated by the tape. s (…, C), z (…, 2C) → (…, C) */
export function gatedUpdateFromOps(s: tf.Tensor4D, z: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const C = s.shape[3];
    const [a, zu] = tf.split(z, [C, C], 3) as [tf.Tensor4D, tf.Tensor4D];
    return tf.add<tf.Tensor4D>(s, tf.mul(tf.sigmoid(zu), tf.sub(tf.tanh(a), s)));
  });
}

/** The same update by the backend's GATED_UPDATE and GATED_UPDATE_GRAD kernels: one pass each way. */
const gatedUpdateByKernels = tf.customGrad((...args) => {
  const [s, z, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  const [out, u, t] = tf.engine().runKernel(GATED_UPDATE, { s, z }) as tf.Tensor4D[];
  save([s, u as tf.Tensor4D, t as tf.Tensor4D]);
  return {
    value: out as tf.Tensor4D,
    gradFunc: (dy: tf.Tensor, [kept, uk, tk]: tf.Tensor[]) =>
      tf.engine().runKernel(GATED_UPDATE_GRAD, {
        s: kept as tf.Tensor,
        u: uk as tf.Tensor,
        t: tk as tf.Tensor,
        dy,
      }) as tf.Tensor[],
  };
});

/** Whether gatedUpdate runs by the kernels on the active backend, for a state of `channels` channels. */
export const gateKernelsReady = (channels: number): boolean =>
  channels % 4 === 0 && kernelsRegistered(GATED_UPDATE, GATED_UPDATE_GRAD);

/**
 * s' = s + σ(z_u)⊙(tanh(a) − s), [a; z_u] = z along the channels: by the kernels where the
 * backend has them (wasm, set up with `RCNN_KERNELS`), else by TF.js ops.
 * s (R·B, H, W, C), z (R·B, H, W, 2C) → (R·B, H, W, C)
 */
export function gatedUpdate(s: tf.Tensor4D, z: tf.Tensor4D): tf.Tensor4D {
  const fused = s.dtype === 'float32' && gateKernelsReady(s.shape[3]);
  return fused ? (gatedUpdateByKernels(s, z) as tf.Tensor4D) : gatedUpdateFromOps(s, z);
}
