import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { expectClose } from '@learnability/core/testing';
import { describeEachBackend } from '../testing/index.js';
import { referenceMatMul, seededNormals } from '../test-support/reference.js';
import { hasBatchedMatMul } from '../wasm/batched-mat-mul.js';
import { batchMatMulGradConfig } from './batch-mat-mul-grad.js';

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

/** (M, K, N) of op(A) (M, K) · op(B) (K, N). */
const [M, K, N] = [4, 6, 3];

interface Case {
  transposeA: boolean;
  transposeB: boolean;
  batch: number;
  aShape: number[];
  bShape: number[];
  aValues: Float32Array;
  bValues: Float32Array;
  /** Loss weights: L = Σ W ∘ op(A)op(B), so dL/dC = W. */
  wValues: Float32Array;
}

function makeCase(transposeA: boolean, transposeB: boolean, batch: number): Case {
  const lead = batch === 1 ? [] : [batch];
  return {
    transposeA,
    transposeB,
    batch,
    aShape: [...lead, ...(transposeA ? [K, M] : [M, K])],
    bShape: [...lead, ...(transposeB ? [N, K] : [K, N])],
    aValues: seededNormals(batch * M * K, 11),
    bValues: seededNormals(batch * K * N, 12),
    wValues: seededNormals(batch * M * N, 13),
  };
}

/** L(A, B) in float64. */
function referenceLoss(c: Case, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [ar, ac] = c.transposeA ? [K, M] : [M, K];
  const [br, bc] = c.transposeB ? [N, K] : [K, N];
  const prod = referenceMatMul(a, ar, ac, b, br, bc, c.batch, c.transposeA, c.transposeB);
  return prod.reduce((s, v, i) => s + v * (c.wValues[i] ?? Number.NaN), 0);
}

/** Central differences of the (bilinear, so exactly quadratic-free) loss, in float64. */
function finiteDifferences(c: Case, which: 'a' | 'b'): Float64Array {
  const h = 1e-3;
  const x = Float64Array.from(which === 'a' ? c.aValues : c.bValues);
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const keep = x[i] ?? 0;
    x[i] = keep + h;
    const up = which === 'a' ? referenceLoss(c, x, c.bValues) : referenceLoss(c, c.aValues, x);
    x[i] = keep - h;
    const down = which === 'a' ? referenceLoss(c, x, c.bValues) : referenceLoss(c, c.aValues, x);
    x[i] = keep;
    grad[i] = (up - down) / (2 * h);
  }
  return grad;
}

function label(c: Case): string {
  return `batch ${c.batch}, transposeA ${c.transposeA}, transposeB ${c.transposeB}`;
}

const CASES = FLAGS.flatMap(([ta, tb]) => [makeCase(ta, tb, 1), makeCase(ta, tb, 3)]);

describeEachBackend('BatchMatMul gradient', (backend) => {
  let defaultConfig: GradConfig;
  beforeAll(async () => {
    // tfjs-core's own gradient, for comparison (importable in Node once setupBackend ran).
    ({ batchMatMulGradConfig: defaultConfig } = await import(
      '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad.js'
    ));
  });

  it('is the registered BatchMatMul gradient', () => {
    expect(tf.getGradient(tf.BatchMatMul)).toBe(batchMatMulGradConfig);
  });

  for (const c of CASES) {
    it(`equals tfjs-core's default gradient within 1e-6 (${label(c)})`, async () => {
      const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
      const before = tf.memory().numTensors;
      // The engine runs gradient functions inside tidy (their transposes are intermediates); so does this.
      const results = tf.tidy(() => {
        const lead = c.batch === 1 ? [] : [c.batch];
        const [a, b, dy] = [
          tf.tensor(c.aValues, c.aShape),
          tf.tensor(c.bValues, c.bShape),
          tf.tensor(c.wValues, [...lead, M, N]),
        ];
        const ours = batchMatMulGradConfig.gradFunc(dy, [a, b], attrs);
        const theirs = defaultConfig.gradFunc(dy, [a, b], attrs);
        return (['a', 'b'] as const).map((input) => {
          const [got, want] = [ours[input]?.(), theirs[input]?.()];
          if (got === undefined || want === undefined) throw new Error(`no gradient for ${input}`);
          return { input, got, want };
        });
      });
      for (const { input, got, want } of results) {
        expect(got.shape).toEqual(want.shape);
        const wantValues = await want.data();
        const scale = Math.max(...Array.from(wantValues, Math.abs));
        await expectClose(await got.data(), wantValues, { atol: 1e-6 * scale, rtol: 1e-6, what: `d${input}` });
        tf.dispose([got, want]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`tf.grads matches finite differences (${label(c)})`, async () => {
      const w = tf.tensor(c.wValues, [...(c.batch === 1 ? [] : [c.batch]), M, N]);
      const loss = (a: Tensor, b: Tensor): Tensor => tf.sum(tf.mul(tf.matMul(a, b, c.transposeA, c.transposeB), w));
      const [a, b] = [tf.tensor(c.aValues, c.aShape), tf.tensor(c.bValues, c.bShape)];
      const before = tf.memory().numTensors;
      const [da, db] = tf.grads(loss)([a, b]);
      if (da === undefined || db === undefined) throw new Error('tf.grads returned fewer than two gradients');
      expect(tf.memory().numTensors).toBe(before + 2);
      await expectClose(await da.data(), finiteDifferences(c, 'a'), { atol: 1e-4, rtol: 1e-3, what: 'dA' });
      await expectClose(await db.data(), finiteDifferences(c, 'b'), { atol: 1e-4, rtol: 1e-3, what: 'dB' });
      tf.dispose([w, a, b, da, db]);
    });
  }

  // With tfjs-wasm's own BatchMatMul (where installing ours is refused, e.g. another tfjs-wasm
  // version), every flag becomes an explicit transpose. The kernel is ours re-registered without its
  // mark, so the gradient takes that path; the products' values are the same either way.
  it.runIf(backend === 'wasm')(
    'takes explicit transposes on wasm without our BatchMatMul, and still matches finite differences',
    async () => {
      const ours = tf.getKernel(tf.BatchMatMul, 'wasm');
      if (!ours) throw new Error('no BatchMatMul on wasm');
      tf.unregisterKernel(tf.BatchMatMul, 'wasm');
      tf.registerKernel({ kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: ours.kernelFunc });
      try {
        expect(hasBatchedMatMul()).toBe(false);
        for (const c of CASES) {
          const w = tf.tensor(c.wValues, [...(c.batch === 1 ? [] : [c.batch]), M, N]);
          const loss = (a: Tensor, b: Tensor): Tensor => tf.sum(tf.mul(tf.matMul(a, b, c.transposeA, c.transposeB), w));
          const [a, b] = [tf.tensor(c.aValues, c.aShape), tf.tensor(c.bValues, c.bShape)];
          let grads: Tensor[] = [];
          const { kernels } = await tf.profile(() => {
            grads = tf.grads(loss)([a, b]);
            return [];
          });
          // Every flagged product of the gradient ran as a Transpose and a plain product.
          if (c.transposeA || c.transposeB)
            expect(
              kernels.map((k) => k.name),
              label(c),
            ).toContain('Transpose');
          const [da, db] = grads as [Tensor, Tensor];
          await expectClose(await da.data(), finiteDifferences(c, 'a'), {
            atol: 1e-4,
            rtol: 1e-3,
            what: `dA, ${label(c)}`,
          });
          await expectClose(await db.data(), finiteDifferences(c, 'b'), {
            atol: 1e-4,
            rtol: 1e-3,
            what: `dB, ${label(c)}`,
          });
          tf.dispose([w, a, b, da, db]);
        }
      } finally {
        tf.unregisterKernel(tf.BatchMatMul, 'wasm');
        tf.registerKernel(ours);
      }
      expect(hasBatchedMatMul()).toBe(true);
    },
  );

  it.runIf(backend === 'wasm')(
    'launches no Transpose on wasm, whose BatchMatMul (ours) takes the flags itself',
    async () => {
      expect(hasBatchedMatMul()).toBe(true);
      const [a, b] = [tf.tensor(seededNormals(6 * 4, 21), [6, 4]), tf.tensor(seededNormals(6 * 3, 22), [6, 3])];
      const { kernels } = await tf.profile(() =>
        tf.tidy(() => tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.matMul(x, y, true)))([a, b])),
      );
      expect(kernels.map((k) => k.name)).not.toContain('Transpose');
      tf.dispose([a, b]);
    },
  );
});
