/**
 * LayerNorm and GELU of TF.js ops compute their gradients by formula (layer-norm.ts, gelu.ts). Here
 * both are checked on every backend: LayerNorm against autodiff of its plain formula, GELU against
 * GPT-2's tanh form and the central differences of that form, in float64 plain JS. The ops are
 * called by name: `layerNorm` and `gelu` take the wasm kernels wherever an earlier test file left
 * them registered (the kernels' own checks are in fused/wasm/block-kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { expect, it } from 'vitest';
import { geluFromOps } from './gelu.js';
import { layerNormFromOps } from './layer-norm.js';

const normals = (shape: number[], seed: number, scale = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, scale);
  return tf.tensor(v, shape);
};

/** LayerNorm as plain taped ops, differentiated by tfjs's autodiff. */
function tapedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const axis = x.rank - 1;
  const perReplica = [x.shape[0] as number, ...new Array<number>(x.rank - 2).fill(1), x.shape[axis] as number];
  const centred = tf.sub(x, tf.mean(x, axis, true));
  const normed = tf.mul(centred, tf.rsqrt(tf.add(tf.mean(tf.square(centred), axis, true), epsilon)));
  return tf.add(tf.mul(normed, tf.reshape(gamma, perReplica)), tf.reshape(beta, perReplica));
}

/** GPT-2's gelu_new in float64. */
const geluTanh = (z: number) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));

describeEachBackend('written gradients', () => {
  for (const shape of [
    [2, 3, 4, 8],
    [2, 5, 6],
  ]) {
    it(`layerNormFromOps on (${shape}): value and ∂x, ∂γ, ∂β equal autodiff of the plain formula`, async () => {
      const D = shape[shape.length - 1] as number;
      // x off-centre and spread, γ and β away from 1 and 0, and a random ∂L/∂y (the loss Σ y·w).
      const x = tf.tidy(() => tf.add(normals(shape, 1, 2), 0.5));
      const gamma = tf.tidy(() => tf.add(normals([2, 1, D], 2, 0.3), 1));
      const beta = normals([2, 1, D], 3, 0.3);
      const w = normals(shape, 4);
      const before = tf.memory().numTensors;
      const grads = (ln: typeof layerNormFromOps) =>
        tf.valueAndGrads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(ln(a, g, b, 1e-5), w)))([
          x,
          gamma,
          beta,
        ]);
      const mine = grads(layerNormFromOps);
      const taped = grads(tapedLayerNorm);
      const values = tf.tidy(() => [layerNormFromOps(x, gamma, beta, 1e-5), tapedLayerNorm(x, gamma, beta, 1e-5)]);
      const tol = { atol: 1e-5, rtol: 1e-4 };
      await expectClose(values[0] as tf.Tensor, values[1] as tf.Tensor, { ...tol, what: 'value' });
      for (const [i, name] of ['∂x', '∂γ', '∂β'].entries())
        await expectClose(mine.grads[i] as tf.Tensor, taped.grads[i] as tf.Tensor, { ...tol, what: name });
      tf.dispose([mine.value, taped.value, ...mine.grads, ...taped.grads, ...values]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, gamma, beta, w]);
    });
  }

  it("gelu equals GPT-2's tanh form, and its gradient the central differences of that form (float64)", async () => {
    // Both tails (where 1 + tanh cancels, and where GELU is the identity) and the bend near 0.
    const zs = [-9, -6, -4, -3, -2, -1.5, -1, -0.5, -0.1, -1e-3, 0, 1e-3, 0.1, 0.5, 1, 1.5, 2, 3, 4, 6, 9];
    const z = tf.tensor1d(zs);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(geluFromOps(t) as tf.Tensor))([z]);
    const y = geluFromOps(z) as tf.Tensor;
    const h = 1e-5;
    await expectClose(y, Float32Array.from(zs, geluTanh), { atol: 1e-6, rtol: 1e-5, what: 'gelu(z)' });
    const slope = zs.map((v) => (geluTanh(v + h) - geluTanh(v - h)) / (2 * h));
    await expectClose(grads[0] as tf.Tensor, Float32Array.from(slope), { atol: 1e-6, rtol: 1e-5, what: "gelu'(z)" });
    tf.dispose([value, y, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
  });
});
