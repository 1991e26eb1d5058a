import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@learnability/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../test-support/reference.js';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { GEMM_K_CHUNK, GEMM_MAX, SMALL_SLICE, installBatchedMatMul, planOf, written } from './batched-mat-mul.js';
import { gemmOnHeap } from './gemm-instance.js';

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

describe('wasm BatchMatMul through the SIMD gemm or XNNPACK for batched and transposed operands', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
    const gemm = await gemmOnHeap(tf.backend());
    expect(gemm).not.toBeNull();
    expect(installBatchedMatMul(tf.backend(), gemm)).toBe(true);
  });

  // Products up to GEMM_MAX multiply-adds (and batches of slices under SMALL_SLICE) run in the gemm
  // module; larger ones go to XNNPACK, one call for a shared B, else one per slice.
  const big = [2, 512, 256, 160]; // 2 · 512 · 256 · 160 = 41.9 M multiply-adds > GEMM_MAX
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['replicated layer (R,B,n)·(R,n,h), XNNPACK slices', [2, 512, 256], [2, 256, 160], false, false],
    ['weight gradient (R,n,B)ᵀ·(R,B,h), XNNPACK slices', [2, 256, 512], [2, 256, 160], true, false],
    ['input gradient (R,B,h)·(R,n,h)ᵀ, XNNPACK slices', [2, 512, 256], [2, 160, 256], false, true],
    ['shared weights (R,B,n)·(1,n,h), one XNNPACK call', [2, 512, 256], [1, 256, 160], false, false],
    ['shared input (1,B,n)·(R,n,h), XNNPACK slices', [1, 512, 256], [2, 256, 160], false, false],
    ['replicated layer (R,B,n)·(R,n,h), gemm', [4, 7, 5], [4, 5, 9], false, false],
    ['shared weights (R,B,n)·(1,n,h), gemm', [3, 6, 4], [1, 4, 5], false, false],
    ['shared input (1,B,n)·(R,n,h), gemm', [1, 6, 4], [3, 4, 5], false, false],
    ['weight gradient (R,n,B)ᵀ·(R,B,h), gemm', [2, 8, 3], [2, 8, 6], true, false],
    ['input gradient (R,B,h)·(R,n,h)ᵀ, gemm', [2, 5, 6], [2, 3, 6], false, true],
    ['shared transposed weights (R,B,h)·(1,n,h)ᵀ, gemm', [3, 6, 4], [1, 5, 4], false, true],
    ['both transposed, batch 1, gemm', [1, 4, 3], [1, 5, 4], true, true],
    ['one batch, transposed b, gemm', [1, 33, 17], [1, 65, 17], false, true],
    ["attention's scores q·kᵀ (B·H, T, D/H)·(B·H, T, D/H)ᵀ, gemm", [256, 18, 8], [256, 18, 8], false, true],
    ['an outer product (1,576,1)·(1,1,32), gemm', [1, 576, 1], [1, 1, 32], false, false],
    // Past GEMM_K_CHUNK rows a transposed left operand is summed chunk by chunk onto the output.
    ['weight gradient over 1,100 rows (1,K,n)ᵀ·(1,K,h), three K chunks', [1, 1100, 5], [1, 1100, 9], true, false],
    [
      'weight gradients over 1,030 rows, batched (R,K,n)ᵀ·(R,K,h), three K chunks',
      [2, 1030, 6],
      [2, 1030, 10],
      true,
      false,
    ],
    ['shared transposed weights (R,B,n)·(1,h,n)ᵀ, one XNNPACK call', [2, 512, 256], [1, 160, 256], false, true],
    ['shared transposed input (1,n,B)ᵀ·(R,n,h), XNNPACK slices', [1, 256, 512], [2, 256, 160], true, false],
    ['batched transposed left, shared right (R,K,n)ᵀ·(1,K,h), gemm', [3, 8, 5], [1, 8, 6], true, false],
    ['batched transposed left and shared transposed right (R,K,n)ᵀ·(1,h,K)ᵀ, gemm', [3, 8, 5], [1, 6, 8], true, true],
    [
      'weight gradient over 600 rows with a transposed right operand, two K chunks',
      [1, 600, 4],
      [1, 7, 600],
      true,
      true,
    ],
  ];
  for (const [title, aShape, bShape, ta, tb] of cases) {
    it(`${title} equals the plain-JS reference`, async () => {
      const av = seededValues(aShape, 1);
      const bv = seededValues(bShape, 2);
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

  // The gradient keeps the flags on wasm with this kernel installed (batch-mat-mul-grad.ts): the
  // same bits as with the transposes made first, except where a transposed A has more than
  // GEMM_K_CHUNK rows: it is summed chunk by chunk onto the output, so the float32 sums round
  // otherwise (the reference test above bounds those).
  const unchunked = cases.filter(([, a, , ta, tb]) => (ta || tb) && !(ta && (a[1] as number) > GEMM_K_CHUNK));
  for (const [title, aShape, bShape, ta, tb] of unchunked) {
    it(`${title}: the flags give the same bits as transposing first`, async () => {
      const a = tf.tensor3d(seededValues(aShape, 1), aShape as [number, number, number]);
      const b = tf.tensor3d(seededValues(bShape, 2), bShape as [number, number, number]);
      const flagged = tf.matMul(a, b, ta, tb);
      const explicit = tf.tidy(() =>
        tf.matMul(ta ? tf.transpose(a, [0, 2, 1]) : a, tb ? tf.transpose(b, [0, 2, 1]) : b),
      );
      expect(await flagged.data()).toEqual(await explicit.data());
      tf.dispose([a, b, flagged, explicit]);
    });
  }

  it('routes products up to GEMM_MAX and small slices to the gemm, larger ones to XNNPACK or the original kernel', () => {
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
    const route = (a: number[], b: number[], ta = false, tb = false, withGemm = true) =>
      planOf(info(a), info(b), ta, tb, withGemm)?.route ?? 'original';
    expect(big.reduce((p, d) => p * d, 1)).toBeGreaterThan(GEMM_MAX);
    // Attention at the small presets' scale: 18·18·8 multiply-adds per slice.
    expect(route([256, 18, 18], [256, 18, 8])).toBe('gemm');
    expect(route([1, 1152, 128], [1, 128, 32])).toBe('gemm'); // unbatched: XNNPACK's call costs more
    expect(route([2, 512, 256], [2, 256, 160])).toBe('xnnpack');
    expect(route([1, 1024, 256], [1, 256, 160])).toBe('xnnpack'); // tfjs's own call, checked
    expect(route([65_536, 8, 8], [65_536, 8, 8])).toBe('gemm'); // tiny slices, however many
    // A weight gradient over many rows with a small output, past GEMM_MAX: the K-chunked gemm.
    expect(route([1, 5000, 64], [1, 5000, 64], true)).toBe('gemm');
    expect(5000 * 64 * 64).toBeGreaterThan(GEMM_MAX);
    expect(route([1, 5000, 256], [1, 5000, 512], true)).toBe('xnnpack'); // 131,072 outputs: XNNPACK's threads
    // Without the gemm module: small slices and unbatched products stay in tfjs's kernel.
    expect(route([256, 18, 18], [256, 18, 8], false, false, false)).toBe('original');
    expect(route([256, 18, 8], [256, 18, 8], false, true, false)).toBe('original');
    expect(route([128, 24, 24], [128, 24, 24], false, false, false)).toBe('xnnpack');
    expect(24 * 24 * 24).toBeGreaterThanOrEqual(SMALL_SLICE);
    expect(route([256, 18, 18], [1, 18, 8], false, false, false)).toBe('xnnpack'); // one call for the batch
    expect(route([2, 3, 4], [3, 4, 5])).toBe('original'); // mixed broadcasting
  });

  it('operands of different ranks broadcast their outer shapes as tf.matMul does, where one side is a single slice', async () => {
    // [a shape, b shape, transposeB, the output shape tf.matMul gives, the operands as (batch, rows, cols)].
    const pairs: [number[], number[], boolean, number[], number[], number[]][] = [
      [[5, 4], [1, 4, 3], false, [1, 5, 3], [1, 5, 4], [1, 4, 3]],
      [[2, 5, 4], [1, 1, 4, 3], false, [1, 2, 5, 3], [2, 5, 4], [1, 4, 3]],
      [[1, 1, 6, 4], [3, 4, 5], false, [1, 3, 6, 5], [1, 6, 4], [3, 4, 5]],
      [[4, 5], [2, 6, 5], true, [2, 4, 6], [1, 4, 5], [2, 6, 5]],
    ];
    for (const [aShape, bShape, tb, outShape, a3, b3] of pairs) {
      const what = `(${aShape})·(${bShape})${tb ? 'ᵀ' : ''}`;
      const [av, bv] = [seededValues(aShape, 5), seededValues(bShape, 6)];
      const c = tf.tidy(() => tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), false, tb));
      expect(c.shape, what).toEqual(outShape);
      await expectClose(c, reference(av, a3, bv, b3, false, tb), { atol: 1e-4, rtol: 1e-4, what });
      c.dispose();
    }
  });

  it('rank-4 operands keep their outer shape', async () => {
    const a = tf.tensor4d(seededValues([2, 3, 24, 20], 3), [2, 3, 24, 20]);
    const b = tf.tensor4d(seededValues([2, 3, 20, 24], 4), [2, 3, 20, 24]);
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
    const [R, B, n, h] = big as [number, number, number, number];
    for (let step = 0; step < 3; step++) {
      const av = seededValues([R, B, n], 10 + step);
      const bv = seededValues([R, n, h], 20 + step);
      const [a, b] = [tf.tensor3d(av, [R, B, n]), tf.tensor3d(bv, [R, n, h])];
      const c = tf.matMul(a, b);
      await expectClose(c, reference(av, [R, B, n], bv, [R, n, h], false, false), {
        atol: 1e-4,
        rtol: 1e-4,
        what: `step ${step}`,
      });
      tf.dispose([a, b, c]);
    }
  });

  it('an XNNPACK call that writes nothing (tfjs-wasm only warns when the heap is full) is an error', () => {
    const heap = new WebAssembly.Memory({ initial: 1 });
    const product = '(1·2 × 3)·(3 × 4)';
    expect(() => written(heap, 64, product, () => undefined)).toThrow(
      /^wasm: XNNPACK did not compute the product \(1·2 × 3\)·\(3 × 4\), most likely because the wasm heap is full \(grown to 1 MiB, 4,096 at most\); lower run\.batchSize/,
    );
    expect(() => written(heap, 64, product, () => void (new Float32Array(heap.buffer)[16] = 0))).not.toThrow();
    // The output's first element may be any number, NaN included.
    expect(() => written(heap, 64, product, () => void (new Float32Array(heap.buffer)[16] = Number.NaN))).not.toThrow();
  });
});
