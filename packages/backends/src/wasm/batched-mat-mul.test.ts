import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { SMALL_SLICE, installBatchedMatMul, planOf } from './batched-mat-mul.js';

/** Plain-JS batched matMul with broadcasting of a size-1 batch and transposes. */
function reference(
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
  ta: boolean,
  tb: boolean,
): Float32Array {
  const [ba, ra, ca] = aShape as [number, number, number];
  const [bb, rb, cb] = bShape as [number, number, number];
  const M = ta ? ca : ra;
  const K = ta ? ra : ca;
  const N = tb ? rb : cb;
  const batch = Math.max(ba, bb);
  const out = new Float32Array(batch * M * N);
  for (let i = 0; i < batch; i++) {
    const ao = (ba === 1 ? 0 : i) * ra * ca;
    const bo = (bb === 1 ? 0 : i) * rb * cb;
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++)
          s += (a[ao + (ta ? k * ca + m : m * ca + k)] as number) * (b[bo + (tb ? n * cb + k : k * cb + n)] as number);
        out[i * M * N + m * N + n] = s;
      }
  }
  return out;
}

const random = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((x, y) => x * y, 1));
  createRng(seed).normals(v);
  return v;
};

describe('wasm BatchMatMul through XNNPACK for batched and transposed operands', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    expect(installBatchedMatMul(tf.backend())).toBe(true);
  });

  // Small slices (M·K·N < SMALL_SLICE) go to tfjs's own kernel, larger ones to an XNNPACK call each.
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['replicated layer (R,B,n)·(R,n,h), XNNPACK slices', [3, 24, 20], [3, 20, 24], false, false],
    ['weight gradient (R,n,B)ᵀ·(R,B,h), XNNPACK slices', [2, 32, 20], [2, 32, 24], true, false],
    ['input gradient (R,B,h)·(R,n,h)ᵀ, XNNPACK slices', [2, 20, 24], [2, 32, 24], false, true],
    ['shared input (1,B,n)·(R,n,h), XNNPACK slices', [1, 24, 20], [3, 20, 24], false, false],
    ['replicated layer (R,B,n)·(R,n,h)', [4, 7, 5], [4, 5, 9], false, false],
    ['shared weights (R,B,n)·(1,n,h)', [3, 6, 4], [1, 4, 5], false, false],
    ['shared input (1,B,n)·(R,n,h)', [1, 6, 4], [3, 4, 5], false, false],
    ['weight gradient (R,n,B)ᵀ·(R,B,h)', [2, 8, 3], [2, 8, 6], true, false],
    ['input gradient (R,B,h)·(R,n,h)ᵀ', [2, 5, 6], [2, 3, 6], false, true],
    ['both transposed, batch 1', [1, 4, 3], [1, 5, 4], true, true],
    ['one batch, transposed b', [1, 33, 17], [1, 65, 17], false, true],
  ];
  for (const [title, aShape, bShape, ta, tb] of cases) {
    it(`${title} equals the plain-JS reference`, async () => {
      const av = random(aShape, 1);
      const bv = random(bShape, 2);
      const before = tf.memory().numTensors;
      const [a, b] = [
        tf.tensor3d(av, aShape as [number, number, number]),
        tf.tensor3d(bv, bShape as [number, number, number]),
      ];
      const c = tf.matMul(a, b, ta, tb);
      await expectClose(c, reference(av, aShape, bv, bShape, ta, tb), { atol: 1e-4, rtol: 1e-4, what: title });
      tf.dispose([a, b, c]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('sends batches of small slices to the original kernel, larger ones and unbatched weights to XNNPACK', () => {
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
    const plan = (a: number[], b: number[], ta = false, tb = false) => planOf(info(a), info(b), ta, tb);
    // Attention at the small presets' scale: 18·18·8 multiply-adds per slice.
    expect(plan([256, 18, 18], [256, 18, 8])).toBeNull();
    expect(plan([256, 18, 8], [256, 18, 8], false, true)).toBeNull();
    expect(plan([128, 24, 24], [128, 24, 24])).not.toBeNull();
    expect(24 * 24 * 24).toBeGreaterThanOrEqual(SMALL_SLICE);
    expect(plan([256, 18, 18], [1, 18, 8])).not.toBeNull(); // one XNNPACK call for the whole batch
  });

  it('rank-4 operands keep their outer shape', async () => {
    const a = tf.tensor4d(random([2, 3, 24, 20], 3), [2, 3, 24, 20]);
    const b = tf.tensor4d(random([2, 3, 20, 24], 4), [2, 3, 20, 24]);
    const c = tf.matMul(a, b);
    expect(c.shape).toEqual([2, 3, 24, 24]);
    const flat = reference(
      (await a.data()) as Float32Array,
      [6, 24, 20],
      (await b.data()) as Float32Array,
      [6, 20, 24],
      false,
      false,
    );
    await expectClose(c, flat, { atol: 1e-4, rtol: 1e-4, what: 'rank 4' });
    tf.dispose([a, b, c]);
  });

  it('repeated products with new weights never reuse a stale XNNPACK operator', async () => {
    for (let step = 0; step < 5; step++) {
      const av = random([3, 24, 20], 10 + step);
      const bv = random([3, 20, 24], 20 + step);
      const [a, b] = [tf.tensor3d(av, [3, 24, 20]), tf.tensor3d(bv, [3, 20, 24])];
      const c = tf.matMul(a, b);
      await expectClose(c, reference(av, [3, 24, 20], bv, [3, 20, 24], false, false), {
        atol: 1e-4,
        rtol: 1e-4,
        what: `step ${step}`,
      });
      tf.dispose([a, b, c]);
    }
  });
});
