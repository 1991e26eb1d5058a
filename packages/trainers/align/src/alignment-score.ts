/**
 * The alignment between two trainings from the same θ₀ (Boopathy & Fiete 2022): the cosine
 * similarity of ΔWᵀΔW, ΔW = W_T − W₀, between a backprop-trained and an Align-trained network.
 *
 * The paper's W is (out, in), so its ΔWᵀΔW is (in × in); here W is (R, in, out) and the same
 * matrix is ΔW·ΔWᵀ. Using ⟨AAᵀ, BBᵀ⟩_F = ‖AᵀB‖²_F and ‖AAᵀ‖_F = ‖AᵀA‖_F, the score needs only
 * (out × out) products: cos = ‖AᵀB‖²_F / (‖AᵀA‖_F ‖BᵀB‖_F).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, assertInt, showValue } from '@learnability/core';
import type { Params } from '@learnability/core';

/**
 * cos(ΔA ΔAᵀ, ΔB ΔBᵀ) per replica for two (R, in, out) weight changes → (R,); NaN for a replica
 * whose ΔA or ΔB is zero (no direction to compare), which `meanAlignment` leaves out of its mean.
 */
export function gramCosine(deltaA: tf.Tensor, deltaB: tf.Tensor): tf.Tensor {
  // Of one (R, in, out) shape: a rank-2 matrix failed inside matMul in TF.js's words.
  assert(
    deltaA?.rank === 3 && tf.util.arraysEqual(deltaA.shape, deltaB?.shape ?? []),
    () =>
      `gramCosine: expected two weight changes of one (R, in, out) shape, but got [${deltaA?.shape?.join(', ')}] and [${deltaB?.shape?.join(', ')}]`,
  );
  return tf.tidy(() => {
    /** ‖AᵀB‖²_F per replica. */
    const gram = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b, true, false)), [1, 2]);
    return tf.div(gram(deltaA, deltaB), tf.mul(tf.sqrt(gram(deltaA, deltaA)), tf.sqrt(gram(deltaB, deltaB))));
  });
}

/**
 * The alignment score of every weight matrix (parameters of shape (R, in, out) with in > 1;
 * biases are left out): `name → (R,)`, from θ₀ and the final parameters of two trainings.
 * The caller owns the returned tensors.
 */
export function alignmentScores(initial: Params, a: Params, b: Params): Record<string, tf.Tensor> {
  // One tidy over all: a matrix that fails (shapes that differ) frees the scores made before it.
  return tf.tidy(() => {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, w0] of Object.entries(initial)) {
      if (w0.rank !== 3 || (w0.shape[1] as number) < 2) continue;
      // A matrix missing from one training was left out of the scores, and one of another shape
      // broadcast or failed inside TF.js: both trainings must be of θ₀'s model.
      for (const [which, params] of [
        ['a', a],
        ['b', b],
      ] as const) {
        const w = params[name];
        assert(
          w !== undefined && tf.util.arraysEqual(w.shape, w0.shape),
          () =>
            `alignmentScores: ${which}.${name} must have θ₀'s shape [${w0.shape.join(', ')}], but got ${w === undefined ? 'none' : `[${w.shape.join(', ')}]`}; give the final params of two trainings of θ₀'s model`,
        );
      }
      out[name] = gramCosine(tf.sub(a[name] as tf.Tensor, w0), tf.sub(b[name] as tf.Tensor, w0));
    }
    return out;
  });
}

/**
 * What a comparison of two trainings from the same θ₀ reports, on the host, for one replica: each
 * weight matrix's alignment (`alignmentScores`) and their mean over the matrices whose score is
 * finite (NaN when none is: no matrix moved).
 */
export async function meanAlignment(
  initial: Params,
  a: Params,
  b: Params,
  replica = 0,
): Promise<{ mean: number; byLayer: Record<string, number> }> {
  // No weights at all read as "replica (of 0) must be in [0, -1]".
  assert(
    typeof initial === 'object' && initial !== null && Object.keys(initial).length > 0,
    () => `meanAlignment: initial must be the θ₀ params of a model (its weight tensors), but got ${showValue(initial)}`,
  );
  const replicas = Object.values(initial)[0]?.shape[0] ?? 0;
  // Past the replicas the host read gave undefined: a mean of NaN and a byLayer of undefineds.
  assertInt(`meanAlignment: replica (of ${replicas})`, replica, 0, replicas - 1);
  const scores = alignmentScores(initial, a, b);
  const byLayer: Record<string, number> = {};
  try {
    for (const [name, t] of Object.entries(scores)) byLayer[name] = (await t.data())[replica] as number;
  } finally {
    tf.dispose(Object.values(scores));
  }
  const finite = Object.values(byLayer).filter(Number.isFinite);
  return { mean: finite.length ? finite.reduce((s, v) => s + v, 0) / finite.length : Number.NaN, byLayer };
}
