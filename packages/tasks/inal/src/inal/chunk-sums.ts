/**
 * One batched forward pass of the R initialisations over a chunk of inputs, reduced on the device
 * to per-neuron sums (one batched matMul per layer), read back to the host in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model, Params } from '@learnability/core';
import type { InputChunk } from './input-chunks.js';

/** Per layer, each (R·W) replica-major: Σ_b f_b a_v(x_b), and Σ_b a_v(x_b) when asked for. */
export interface LayerSums {
  fa: Float64Array;
  a: Float64Array | null;
}

/** Layer output widths (units per example), from a one-row forward pass. */
export function layerWidths(model: Model, params: Params, n: number): number[] {
  return tf.tidy(() => {
    const trace = model.applyLayers(params, tf.ones([model.replicas, 1, n]));
    return trace.layers.map((l) => l.output.size / model.replicas);
  });
}

/** The sums of every layer's outputs over `chunk`. Leaves no tensor behind. */
export async function chunkSums(
  model: Model,
  params: Params,
  chunk: InputChunk,
  n: number,
  withMean: boolean,
): Promise<LayerSums[]> {
  const R = model.replicas;
  const B = chunk.rows;
  const sums = tf.tidy(() => {
    const x = tf.tensor3d(chunk.x, [R, B, n]);
    const f = tf.tensor3d(chunk.f, [R, 1, B]);
    const weights = withMean ? tf.concat([f, tf.onesLike(f)], 1) : f; // (R, 1 or 2, B)
    const trace = model.applyLayers(params, x);
    // (R, 1|2, B) @ (R, B, W) → (R, 1|2, W): Σ_b f_b a_bv (and Σ_b a_bv).
    return trace.layers.map((layer) => tf.matMul(weights, tf.reshape(layer.output, [R, B, -1])));
  });
  try {
    const out: LayerSums[] = [];
    for (const t of sums) {
      const data = await t.data();
      const W = t.shape[2] as number;
      if (!withMean) {
        out.push({ fa: Float64Array.from(data), a: null });
        continue;
      }
      const fa = new Float64Array(R * W);
      const a = new Float64Array(R * W);
      for (let r = 0; r < R; r++) {
        fa.set(data.subarray(2 * r * W, (2 * r + 1) * W), r * W);
        a.set(data.subarray((2 * r + 1) * W, (2 * r + 2) * W), r * W);
      }
      out.push({ fa, a });
    }
    return out;
  } finally {
    tf.dispose(sums);
  }
}
