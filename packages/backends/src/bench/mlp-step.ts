/**
 * The benchmark's training step: a 50→512→512→1 ReLU MLP, MSE loss, plain SGD, batch 64.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Layer widths, input first. */
export const MLP_WIDTHS = [50, 512, 512, 1] as const;
/** Examples per step. */
export const MLP_BATCH = 64;
/** SGD step size: small, so the weights stay finite over any number of steps. */
const LEARNING_RATE = 1e-3;

/** Parameters and one fixed batch; `dispose()` frees them all. */
export interface MlpBench {
  /** One SGD step; returns the loss before the update (a scalar the caller disposes). */
  step(): tf.Scalar;
  dispose(): void;
}

/** Builds the MLP (He-normal weights, zero biases) and a fixed batch, from `seed`. */
export function createMlpBench(seed: number): MlpBench {
  const params: tf.Variable[] = [];
  for (let i = 0; i + 1 < MLP_WIDTHS.length; i++) {
    const fanIn = MLP_WIDTHS[i] ?? 1;
    const fanOut = MLP_WIDTHS[i + 1] ?? 1;
    // tidy frees the initial values; variables survive it.
    params.push(
      tf.tidy(() => tf.variable(tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn), 'float32', seed + i))),
    );
    params.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]))));
  }
  const x = tf.randomNormal([MLP_BATCH, MLP_WIDTHS[0]], 0, 1, 'float32', seed + 100); // (B, 50)
  const y = tf.randomNormal([MLP_BATCH, 1], 0, 1, 'float32', seed + 101); // (B, 1)

  const loss = (): tf.Scalar => {
    let h: tf.Tensor = x;
    for (let i = 0; i < params.length; i += 2) {
      const w = params[i];
      const b = params[i + 1];
      if (w === undefined || b === undefined) throw new Error('mlp: parameter list is out of pairs');
      h = tf.add(tf.matMul(h, w), b); // (B, in) -> (B, out)
      if (i + 2 < params.length) h = tf.relu(h);
    }
    return tf.mean(tf.square(tf.sub(h, y)));
  };

  return {
    step: () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, params);
        for (const p of params) {
          const g = grads[p.name];
          if (g !== undefined) p.assign(tf.sub(p, tf.mul(g, LEARNING_RATE)));
        }
        return value;
      }),
    dispose: () => tf.dispose([...params, x, y]),
  };
}
