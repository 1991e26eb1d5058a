/**
 * The ReLU RNN's two recurrences through time, each as one kernel where the backend has it
 * (`RNN_KERNELS`: wasm, webgpu). Composed of TF.js ops each is 3 kernels a step (a product, an
 * addition, the ReLU or the gate), so 300 for the add task's T = 100, and the credit rules run
 * both; on wasm each op costs microseconds of dispatch, on a GPU 55–90 µs.
 *
 * - RNN_SCAN: { u (T, R, B, n), w (R, n, n) } → [z, h], both (T, R, B, n): from h_{−1} = 0,
 *   z_t = u_t + h_{t−1}·w_r and h_t = relu(z_t) for each replica r (time-major, so step t is a
 *   contiguous slice).
 * - RNN_SCAN_BACK: { a (T, R, B, n), gate (T, R, B, n), w (R, n, n) } → [g (T, R, B, n)]: from
 *   g_{T−1} = a_{T−1}, g_t = a_t + (gate_{t+1} ⊙ g_{t+1})·w_rᵀ — the signal every hidden state
 *   receives back through time (backprop's ∂L/∂h_t when a = ∂L/∂h and gate = relu′(z); the credit
 *   rules' signal through their own matrices and gates).
 * Float32. Elsewhere both compose TF.js ops, with the same results to float tolerance
 * (fused/scan-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { kernelsRegistered, tapeRecording } from '@learnability/core';

export const RNN_SCAN = 'LearnabilityRnnScan';
export const RNN_SCAN_BACK = 'LearnabilityRnnScanBack';

/** Whether both recurrences run as kernels on the active backend. */
export const scanKernelsReady = (): boolean => kernelsRegistered(RNN_SCAN, RNN_SCAN_BACK);

/** RNN_SCAN by TF.js ops, step by step (the tape differentiates it). */
function scanByOps(u: tf.Tensor, w: tf.Tensor): { z: tf.Tensor; h: tf.Tensor } {
  const z: tf.Tensor[] = [];
  const h: tf.Tensor[] = [];
  tf.unstack(u, 0).forEach((ut, t) => {
    // h_{−1} = 0, so step 0 has no recurrent term.
    const zt = t === 0 ? ut : tf.add(ut, tf.matMul(h[t - 1] as tf.Tensor, w));
    z.push(zt);
    h.push(tf.relu(zt));
  });
  return { z: tf.stack(z), h: tf.stack(h) };
}

/** RNN_SCAN_BACK by TF.js ops, step by step. */
function scanBackByOps(a: tf.Tensor, gate: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const as = tf.unstack(a, 0);
  const gates = tf.unstack(gate, 0);
  const T = as.length;
  const g = new Array<tf.Tensor>(T);
  g[T - 1] = as[T - 1] as tf.Tensor;
  for (let t = T - 2; t >= 0; t--)
    g[t] = tf.add(
      as[t] as tf.Tensor,
      tf.matMul(tf.mul(gates[t + 1] as tf.Tensor, g[t + 1] as tf.Tensor), w, false, true),
    );
  return tf.stack(g, 0);
}

/**
 * (T, R, B, k) → (R, T·B, k): each replica's rows in time-major order, what a weight's product or
 * gradient runs over (one replica: the same layout, no copy).
 */
export const rowsOf = (t: tf.Tensor) => {
  const R = t.shape[1] as number;
  return tf.reshape(R === 1 ? t : tf.transpose(t, [1, 0, 2, 3]), [R, -1, t.shape[3] as number]);
};

/**
 * The kernel as one differentiable op of (u, w) → h; its gradient is RNN_SCAN_BACK with
 * gate = relu′(z): δ = gate ⊙ g, ∂u = δ, ∂w_r = Σ_t h_{t−1}ᵀ δ_t.
 */
const statesByKernels = tf.customGrad((...args) => {
  const [u, w, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const [, h] = tf.engine().runKernel(RNN_SCAN, { u, w }) as [tf.Tensor, tf.Tensor];
  save([h, w]); // not z: h = relu(z) is > 0 exactly where z is, so z is freed here
  return {
    value: h,
    gradFunc: (dh: tf.Tensor, [hk, wk]: tf.Tensor[]) => {
      const gate = tf.step(hk as tf.Tensor); // relu′(z), as float32 values (a cast would keep int32 words on webgpu)
      const [g] = tf.engine().runKernel(RNN_SCAN_BACK, { a: dh, gate, w: wk as tf.Tensor }) as tf.Tensor[];
      const delta = tf.mul(gate, g as tf.Tensor);
      const T = (hk as tf.Tensor).shape[0] as number;
      // h_{t−1} for every step: h_{−1} = 0, then h_0 … h_{T−2}.
      const previous = tf.concat([tf.zerosLike(tf.slice(hk as tf.Tensor, 0, 1)), tf.slice(hk as tf.Tensor, 0, T - 1)]);
      return [delta, tf.matMul(rowsOf(previous), rowsOf(delta), true, false)];
    },
  };
});

const byKernels = (u: tf.Tensor) => u.dtype === 'float32' && scanKernelsReady();

/**
 * Every state of the ReLU recurrence, differentiable: u (T, R, B, n) (the input's share of each
 * pre-activation), w (R, n, n) → h (T, R, B, n). By the kernels where the backend has them,
 * else TF.js ops.
 */
export function reluStates(u: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (byKernels(u) && tapeRecording()) return statesByKernels(u, w) as tf.Tensor;
  // No gradient is recorded (or no kernel): z is not needed.
  const { z, h } = reluScan(u, w);
  z.dispose();
  return h;
}

/**
 * Every pre-activation and state, for a trace: u, w → z and h (T, R, B, n). By the kernel where
 * the backend has it, except while a gradient is recorded (the ops then, so the tape can follow z
 * and h alike).
 */
export function reluScan(u: tf.Tensor, w: tf.Tensor): { z: tf.Tensor; h: tf.Tensor } {
  if (!byKernels(u) || tapeRecording()) return scanByOps(u, w);
  const [z, h] = tf.engine().runKernel(RNN_SCAN, { u, w }) as [tf.Tensor, tf.Tensor];
  return { z, h };
}

/**
 * The signal back through time: a, gate (T, R, B, n), w (R, n, n) → g (T, R, B, n) with
 * g_{T−1} = a_{T−1}, g_t = a_t + (gate_{t+1} ⊙ g_{t+1})·wᵀ. By the kernel where the backend has
 * it (not while a gradient is recorded: it has none), else TF.js ops.
 */
export function scanBack(a: tf.Tensor, gate: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (!byKernels(a) || tapeRecording()) return scanBackByOps(a, gate, w);
  return (tf.engine().runKernel(RNN_SCAN_BACK, { a, gate, w }) as tf.Tensor[])[0] as tf.Tensor;
}
