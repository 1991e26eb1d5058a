import { describe, expect, it } from 'vitest';
import { runNodeScript } from '../test-support/run-node.js';

describe('wasm threads in Node', () => {
  it('runs 2 real XNNPACK threads, computes correctly (our heap routines, gemm and row-copy transpose on the shared heap too), and lets the process exit by itself', async () => {
    const run = await runNodeScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import { setupBackend } from '@learnability/backends';
      const info = await setupBackend('wasm', { threads: 2 });
      const a = tf.randomUniform([256, 256], -1, 1, 'float32', 1);
      const b = tf.randomUniform([256, 256], -1, 1, 'float32', 2);
      const c = await tf.matMul(a, b).data();
      const [av, bv] = [await a.data(), await b.data()];
      // Every element, against float64 plain JS: each thread's tile, not only the first's.
      let matMulError = 0;
      for (let i = 0; i < 256; i++)
        for (let j = 0; j < 256; j++) {
          let sum = 0;
          for (let k = 0; k < 256; k++) sum += av[i * 256 + k] * bv[k * 256 + j];
          matMulError = Math.max(matMulError, Math.abs(c[i * 256 + j] - sum));
        }
      // Tanh and the split run in heap-routines.ts's module, instantiated on the shared heap:
      // the left half of each row of (256, 2, 128) is a[r][h][0..63].
      const [left] = tf.split(tf.tanh(tf.reshape(a, [256, 2, 128])), 2, 2);
      const t = await left.data();
      let tanhError = 0;
      for (let i = 0; i < t.length; i++) {
        const [row, col] = [Math.floor(i / 64), i % 64];
        tanhError = Math.max(tanhError, Math.abs(t[i] - Math.tanh(av[row * 128 + col])));
      }
      // Small batched products go to our SIMD gemm on this thread, straight on the shared heap:
      // (3, 16, 24)·(3, 24, 8), and with the left operand transposed, (3, 24, 16)ᵀ·(3, 24, 8).
      const p = tf.randomUniform([3, 16, 24], -1, 1, 'float32', 3);
      const q = tf.randomUniform([3, 24, 8], -1, 1, 'float32', 4);
      const pt = tf.randomUniform([3, 24, 16], -1, 1, 'float32', 5);
      const [pv, qv, ptv] = [await p.data(), await q.data(), await pt.data()];
      const [pq, ptq] = [await tf.matMul(p, q).data(), await tf.matMul(pt, q, true, false).data()];
      let gemmError = 0;
      for (let r = 0; r < 3; r++)
        for (let i = 0; i < 16; i++)
          for (let j = 0; j < 8; j++) {
            let [sum, sumT] = [0, 0];
            for (let k = 0; k < 24; k++) {
              sum += pv[(r * 16 + i) * 24 + k] * qv[(r * 24 + k) * 8 + j];
              sumT += ptv[(r * 24 + k) * 16 + i] * qv[(r * 24 + k) * 8 + j];
            }
            const at = (r * 16 + i) * 8 + j;
            gemmError = Math.max(gemmError, Math.abs(pq[at] - sum), Math.abs(ptq[at] - sumT));
          }
      // A transpose that keeps the last axis last is a copy of whole rows within the heap.
      const swapped = await tf.transpose(tf.reshape(a, [16, 16, 256]), [1, 0, 2]).data();
      let transposeExact = true;
      for (let i = 0; i < 16; i++)
        for (let j = 0; j < 16; j++)
          for (let k = 0; k < 256; k++) transposeExact &&= swapped[(i * 16 + j) * 256 + k] === av[(j * 16 + i) * 256 + k];
      process.stdout.write(JSON.stringify({ info, backend: tf.getBackend(), matMulError, tanhError, values: t.length, gemmError, transposeExact }));
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      info: { threads: number; simd: boolean };
      backend: string;
      matMulError: number;
      tanhError: number;
      values: number;
      gemmError: number;
      transposeExact: boolean;
    };
    expect(out.backend).toBe('wasm');
    expect(out.info.threads).toBe(2);
    expect(out.info.simd).toBe(true);
    expect(out.matMulError).toBeLessThan(1e-4);
    expect(out.values).toBe(256 * 2 * 64);
    expect(out.tanhError).toBeLessThan(1e-6);
    expect(out.gemmError).toBeLessThan(1e-5);
    expect(out.transposeExact).toBe(true);
    // Idle pthread workers are unref()'d: nothing keeps Node alive after the script ends.
    expect(run.exitDelayMs).toBeLessThan(3000);
  });

  it('uses no worker at all with threads: 1', async () => {
    const run = await runNodeScript(`
      import { setupBackend } from '@learnability/backends';
      const info = await setupBackend('wasm', { threads: 1 });
      process.stdout.write(JSON.stringify(info.threads));
    `);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1');
  });
});
