/**
 * The alignment between two trainings from the same θ₀ (Boopathy & Fiete 2022): the cosine
 * similarity of ΔWᵀΔW, ΔW = W_T − W₀, between a backprop-trained and an Align-trained network.
 *
 * The paper's W is (out, in), so its ΔWᵀΔW is (in × in); here W is (R, in, out) and the same
 * matrix is ΔW·ΔWᵀ. Using ⟨AAᵀ, BBᵀ⟩_F = ‖AᵀB‖²_F and ‖AAᵀ‖_F = ‖AᵀA‖_F, the score needs only
 * (out × out) products: cos = ‖AᵀB‖²_F / (‖AᵀA‖_F ‖BᵀB‖_F).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@learnability/core';

/** cos(ΔA ΔAᵀ, ΔB ΔBᵀ) per replica for two (R, in, out) weight changes → (R,). */
export function gramCosine(deltaA: tf.Tensor, deltaB: tf.Tensor): tf.Tensor {
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
      const [wa, wb] = [a[name], b[name]];
      if (w0.rank !== 3 || (w0.shape[1] as number) < 2 || wa === undefined || wb === undefined) continue;
      out[name] = gramCosine(tf.sub(wa, w0), tf.sub(wb, w0));
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
