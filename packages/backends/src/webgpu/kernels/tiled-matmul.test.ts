/**
 * The tiled matMul against a float64 plain-JS product, on shapes that exercise every edge:
 * one partial tile, several tiles with partial edges in M and N, and K not a multiple of the
 * 16-wide slice. Runs where webgpu runs (CI: Mesa lavapipe); elsewhere it must refuse clearly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { expect, it } from 'vitest';
import { setupBackend } from '../../setup-backend.js';
import { countGpuWork, describeEachBackend, withDeviceLimits } from '../../testing/index.js';
import { WEBGPU_TILED_MATMUL, tiledMatMul } from './tiled-matmul.js';

function normals(count: number, seed: number): Float32Array {
  const v = new Float32Array(count);
  createRng(seed).normals(v, 1);
  return v;
}

/** C = A · B in float64, rounded to float32 at the end. */
function reference(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += (a[i * K + k] as number) * (b[k * N + j] as number);
      c[i * N + j] = sum;
    }
  return c;
}

const SHAPES: [number, number, number][] = [
  [5, 12, 8], // one partial tile
  [130, 36, 260], // 2 × 3 tiles, partial in M and N; K = 2 slices + 4
  [128, 48, 128], // whole tiles in M and N; K = 3 slices
  [67, 21, 12], // K not a multiple of 4 (A is read as scalars), M not a multiple of 4
];

describeEachBackend('tiled matMul', (backend) => {
  for (const [M, K, N] of SHAPES) {
    it.skipIf(backend !== 'webgpu')(
      `(${M}, ${K}) · (${K}, ${N}) equals the float64 product; one dispatch, no tensor kept`,
      async () => {
        await setupBackend('webgpu');
        const [av, bv] = [normals(M * K, M), normals(K * N, N)];
        const a = tf.tensor2d(av, [M, K]);
        const b = tf.tensor2d(bv, [K, N]);
        tiledMatMul(a, b).dispose(); // compiles
        // C's buffer comes from TF.js's pool: NaNs are left there, not the product the call above
        // wrote, so that an element the kernel misses fails. (Read first: a buffer written in the
        // open encoder goes back to the pool only once it is submitted.)
        const nan = tf.fill([M, N], Number.NaN);
        await nan.data();
        nan.dispose();
        const before = tf.memory().numTensors;
        const counter = countGpuWork();
        const c = tiledMatMul(a, b);
        counter.stop();
        expect(counter.counts).toMatchObject({ dispatches: 1, readMaps: 0 });
        expect(c.shape).toEqual([M, N]);
        await expectClose(c, reference(av, bv, M, K, N), { atol: 1e-4 * Math.sqrt(K), rtol: 1e-4, what: 'C' });
        c.dispose();
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([a, b]);
      },
    );
  }

  it.skipIf(backend !== 'webgpu')(
    'gives zeros for K = 0 (over a pool buffer of NaNs) and empty products for M = 0 or N = 0',
    async () => {
      await setupBackend('webgpu');
      const before = tf.memory().numTensors;
      const nan = tf.fill([3, 8], Number.NaN);
      await nan.data();
      nan.dispose();
      const [a0, b0] = [tf.zeros([3, 0]) as tf.Tensor2D, tf.zeros([0, 8]) as tf.Tensor2D];
      const c0 = tiledMatMul(a0, b0);
      expect(c0.shape).toEqual([3, 8]);
      expect(Array.from(await c0.data())).toEqual(new Array(24).fill(0));
      for (const [M, N] of [
        [0, 4],
        [5, 0],
      ] as const) {
        const [a, b] = [tf.ones([M, 6]) as tf.Tensor2D, tf.ones([6, N]) as tf.Tensor2D];
        const c = tiledMatMul(a, b);
        expect(c.shape).toEqual([M, N]);
        expect((await c.data()).length).toBe(0);
        tf.dispose([a, b, c]);
      }
      tf.dispose([a0, b0, c0]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.skipIf(backend !== 'webgpu')('refuses N that is not a multiple of 4, saying what to do', async () => {
    await setupBackend('webgpu');
    const [a, b] = [tf.ones([4, 8]) as tf.Tensor2D, tf.ones([8, 6]) as tf.Tensor2D];
    expect(() => tiledMatMul(a, b)).toThrow(
      /needs N to be a multiple of 4 \(b's and the product's rows are read as vec4\), but got N = 6; pad b, or use tf\.matMul/,
    );
    tf.dispose([a, b]);
  });

  it.skipIf(backend !== 'webgpu')(
    "refuses a product past the device's grid or binding limits, before making its output",
    async () => {
      await setupBackend('webgpu');
      const [a, b] = [tf.ones([300, 8]) as tf.Tensor2D, tf.ones([8, 4]) as tf.Tensor2D];
      const before = tf.memory().numTensors;
      await withDeviceLimits({ maxComputeWorkgroupsPerDimension: 2 }, [WEBGPU_TILED_MATMUL], async () =>
        expect(() => tiledMatMul(a, b)).toThrow(
          "tiledMatMul: (300, 8) · (8, 4) needs 1 × 3 workgroups (128 × 128 of C each), past this device's limit of 2 workgroups per dimension; split the product into blocks of rows of a (M ≤ 256)",
        ),
      );
      await withDeviceLimits({ maxStorageBufferBindingSize: 4096 }, [WEBGPU_TILED_MATMUL], async () =>
        expect(() => tiledMatMul(a, b)).toThrow(
          "tiledMatMul: a takes 9600 bytes, past this device's storage binding limit of 4096; split the product into blocks",
        ),
      );
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b]);
    },
  );

  it.skipIf(backend === 'webgpu')('refuses any backend but webgpu rather than falling back', async () => {
    await setupBackend(backend);
    const a = tf.ones([4, 4]) as tf.Tensor2D;
    expect(() => tiledMatMul(a, a)).toThrow(
      `tiledMatMul runs on the webgpu backend, but the active backend is ${backend}; use tf.matMul there`,
    );
    a.dispose();
  });
});
