import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWeightMap, supportContrast } from './first-layer.js';
import type { WeightMap } from './first-layer.js';

beforeAll(async () => {
  await setupBackend('cpu');
});

/** w0 of shape (R, n, h) with w[r, i, j] = (−1)^j (100 r + 10 i + j), as plain JS and as a tensor. */
function weights(R: number, n: number, h: number): { w: (r: number, i: number, j: number) => number; t: tf.Tensor } {
  const w = (r: number, i: number, j: number) => (j % 2 ? -1 : 1) * (100 * r + 10 * i + j);
  const flat: number[] = [];
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) for (let j = 0; j < h; j++) flat.push(w(r, i, j));
  return { w, t: tf.tensor3d(flat, [R, n, h]) };
}

describe('readWeightMap', () => {
  it('gives |w| of replica 0 as hidden unit × input bit, the first units only, as the plain-JS reference does', async () => {
    const { w, t } = weights(2, 3, 5);
    const params = { w0: t, b0: tf.zeros([2, 5]) };
    const before = tf.memory().numTensors;
    const map = await readWeightMap(params, 7, [0, 2], 4);
    expect(tf.memory().numTensors).toBe(before);
    const expected: number[] = [];
    for (let u = 0; u < 4; u++) for (let i = 0; i < 3; i++) expected.push(Math.abs(w(0, i, u)));
    expect(map).toMatchObject({ step: 7, units: 4, totalUnits: 5, inputs: 3, support: [0, 2] });
    expect(Array.from(map?.data ?? [])).toEqual(expected);
  });

  it('shows every unit of a narrow layer, and nothing for a model without a dense first layer', async () => {
    const { t } = weights(1, 2, 3);
    expect((await readWeightMap({ w0: t }, 1, null))?.units).toBe(3);
    expect(await readWeightMap({ embed: tf.zeros([1, 2]) }, 1, null)).toBeNull();
  });
});

describe('supportContrast', () => {
  const map = (data: number[], support: number[] | null): WeightMap => ({
    step: 1,
    units: 2,
    totalUnits: 2,
    inputs: 3,
    data: Float32Array.from(data),
    support,
  });

  it('is the mean |w| on the support over the mean elsewhere', () => {
    // units × bits: [[4, 1, 1], [2, 1, 3]]; S = {0}: (4 + 2) / 2 = 3 over (1 + 1 + 1 + 3) / 4 = 1.5.
    expect(supportContrast(map([4, 1, 1, 2, 1, 3], [0]))).toBe(2);
  });

  it('is null without a support, or with nothing outside it', () => {
    expect(supportContrast(map([1, 1, 1, 1, 1, 1], null))).toBeNull();
    expect(supportContrast(map([1, 1, 1, 1, 1, 1], [0, 1, 2]))).toBeNull();
  });
});
