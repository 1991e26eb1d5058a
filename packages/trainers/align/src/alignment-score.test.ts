import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { expect, it } from 'vitest';
import { alignmentScores, gramCosine, meanAlignment } from './alignment-score.js';

/** cos(AAᵀ, BBᵀ) the direct way, for one (in × out) pair, row-major. */
function directGramCosine(a: Float32Array, b: Float32Array, rowsIn: number, cols: number): number {
  const gram = (m: Float32Array) => {
    const g = new Float64Array(rowsIn * rowsIn);
    for (let i = 0; i < rowsIn; i++)
      for (let j = 0; j < rowsIn; j++)
        for (let k = 0; k < cols; k++)
          g[i * rowsIn + j] = (g[i * rowsIn + j] as number) + (m[i * cols + k] as number) * (m[j * cols + k] as number);
    return g;
  };
  const [ga, gb] = [gram(a), gram(b)];
  const dot = ga.reduce((s, v, i) => s + v * (gb[i] as number), 0);
  return dot / Math.sqrt(ga.reduce((s, v) => s + v * v, 0) * gb.reduce((s, v) => s + v * v, 0));
}

describeEachBackend('alignment score', () => {
  it('equals the cosine of ΔWΔWᵀ computed directly, per replica; 1 for proportional changes', async () => {
    const rng = createRng(4);
    const [R, n, o] = [2, 6, 3];
    const a = new Float32Array(R * n * o);
    const b = new Float32Array(R * n * o);
    rng.normals(a);
    rng.normals(b);
    // Replica 1 of b leans on replica 1 of a, so the two replicas score differently.
    for (let i = n * o; i < 2 * n * o; i++) b[i] = 0.3 * (b[i] as number) + (a[i] as number);
    const [ta, tb] = [tf.tensor3d(a, [R, n, o]), tf.tensor3d(b, [R, n, o])];
    const before = tf.memory().numTensors;
    const score = gramCosine(ta, tb);
    expect(tf.memory().numTensors).toBe(before + 1);
    const expected = [0, 1].map((r) =>
      directGramCosine(a.subarray(r * n * o, (r + 1) * n * o), b.subarray(r * n * o, (r + 1) * n * o), n, o),
    );
    expect(expected[1] as number).toBeGreaterThan((expected[0] as number) + 0.2);
    const s = await score.data();
    expected.forEach((v, r) => expect(s[r]).toBeCloseTo(v, 4));
    const twice = tf.mul(ta, -2);
    const self = gramCosine(ta, twice);
    Array.from(await self.data()).forEach((v) => expect(v).toBeCloseTo(1, 5));
    // One (R, in, out) shape: a rank-2 matrix failed inside matMul in TF.js's words.
    const flat = tf.zeros([n, o]);
    expect(() => gramCosine(flat, flat)).toThrow(
      `gramCosine: expected two weight changes of one (R, in, out) shape, but got [${n}, ${o}] and [${n}, ${o}]`,
    );
    tf.dispose([ta, tb, score, twice, self, flat]);
  });

  it('scores every weight matrix, not the biases', () => {
    const w = tf.randomNormal([1, 4, 2], 0, 1, 'float32', 1);
    const bias = tf.zeros([1, 1, 2]);
    const init = { w0: tf.zerosLike(w), b0: bias };
    const scores = alignmentScores(init, { w0: w, b0: bias }, { w0: w, b0: bias });
    expect(Object.keys(scores)).toEqual(['w0']);
    tf.dispose([w, bias, init.w0, Object.values(scores)]);
  });

  it('a matrix of another shape throws and frees the scores made before it', () => {
    const init = { w0: tf.zeros([1, 4, 2]), w1: tf.zeros([1, 4, 5]) };
    const a = { w0: tf.ones([1, 4, 2]), w1: tf.ones([1, 4, 6]) };
    const before = tf.memory().numTensors;
    expect(() => alignmentScores(init, a, a)).toThrow(
      "alignmentScores: a.w1 must have θ₀'s shape [1, 4, 5], but got [1, 4, 6]; give the final params of two trainings of θ₀'s model",
    );
    // A matrix missing from one training was left out of the scores without a word.
    expect(() => alignmentScores(init, { w0: a.w0 }, { w0: a.w0 })).toThrow(
      "alignmentScores: a.w1 must have θ₀'s shape [1, 4, 5], but got none",
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([init, a]);
  });

  it('meanAlignment refuses a replica the params do not have, which read as NaN and undefineds', async () => {
    const init = { w0: tf.zeros([2, 4, 2]) };
    const a = { w0: tf.ones([2, 4, 2]) };
    for (const replica of [2, -1, 0.5])
      await expect(meanAlignment(init, a, a, replica)).rejects.toThrow(
        `meanAlignment: replica (of 2) must be an integer in [0, 1], but got ${replica}`,
      );
    await expect(meanAlignment({}, {}, {})).rejects.toThrow(
      'meanAlignment: initial must be the θ₀ params of a model (its weight tensors), but got {}',
    );
    tf.dispose([init, a]);
  });

  it('meanAlignment: each matrix on the host for one replica, and the mean over the finite ones', async () => {
    const rng = createRng(8);
    const draw = (shape: [number, number, number]) => {
      const v = new Float32Array(shape[0] * shape[1] * shape[2]);
      rng.normals(v);
      return v;
    };
    // Two replicas; w0 (3 → 2) and w1 (4 → 1) move in both trainings, w2 (2 → 1) only in a.
    const shapes = { w0: [2, 3, 2], w1: [2, 4, 1], w2: [2, 2, 1] } as const;
    const host = {
      a: { w0: draw([2, 3, 2]), w1: draw([2, 4, 1]), w2: draw([2, 2, 1]) },
      b: { w0: draw([2, 3, 2]), w1: draw([2, 4, 1]) },
    };
    const init = { w0: tf.zeros([2, 3, 2]), w1: tf.zeros([2, 4, 1]), w2: tf.zeros([2, 2, 1]), b0: tf.zeros([2, 1, 2]) };
    const a = {
      w0: tf.tensor3d(host.a.w0, [...shapes.w0]),
      w1: tf.tensor3d(host.a.w1, [...shapes.w1]),
      w2: tf.tensor3d(host.a.w2, [...shapes.w2]),
      b0: tf.ones([2, 1, 2]),
    };
    const b = {
      w0: tf.tensor3d(host.b.w0, [...shapes.w0]),
      w1: tf.tensor3d(host.b.w1, [...shapes.w1]),
      w2: init.w2,
      b0: a.b0,
    };
    /** The direct cosine of matrix `name` in replica r. */
    const direct = (name: 'w0' | 'w1', r: number) => {
      const [, rows, cols] = shapes[name];
      const part = (v: Float32Array) => v.subarray(r * rows * cols, (r + 1) * rows * cols);
      return directGramCosine(part(host.a[name]), part(host.b[name]), rows, cols);
    };
    // The controls: the replicas score apart, and so do the two matrices, so that reading the
    // wrong replica or not averaging would show.
    expect(Math.abs(direct('w0', 0) - direct('w0', 1))).toBeGreaterThan(0.05);
    expect(Math.abs(direct('w0', 0) - direct('w1', 0))).toBeGreaterThan(0.05);
    const before = tf.memory().numTensors;
    for (const replica of [0, 1]) {
      const got = await meanAlignment(init, a, b, replica);
      expect(Object.keys(got.byLayer)).toEqual(['w0', 'w1', 'w2']);
      expect(got.byLayer.w0).toBeCloseTo(direct('w0', replica), 5);
      expect(got.byLayer.w1).toBeCloseTo(direct('w1', replica), 5);
      // w2 did not move in b: its score is NaN, and it is left out of the mean.
      expect(got.byLayer.w2).toBeNaN();
      expect(got.mean).toBeCloseTo((direct('w0', replica) + direct('w1', replica)) / 2, 5);
    }
    // Nothing moved: no finite score.
    expect((await meanAlignment(init, init, init)).mean).toBeNaN();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([init, a, b.w0, b.w1]);
  });
});
