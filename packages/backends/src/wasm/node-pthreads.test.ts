import { describe, expect, it } from 'vitest';
import { runNodeScript } from '../test-support/run-node.js';

describe('wasm threads in Node', () => {
  it('runs 2 real XNNPACK threads, computes correctly (our heap routines on the shared heap too), and lets the process exit by itself', async () => {
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
      process.stdout.write(JSON.stringify({ info, backend: tf.getBackend(), matMulError, tanhError, values: t.length }));
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      info: { threads: number; simd: boolean };
      backend: string;
      matMulError: number;
      tanhError: number;
      values: number;
    };
    expect(out.backend).toBe('wasm');
    expect(out.info.threads).toBe(2);
    expect(out.info.simd).toBe(true);
    expect(out.matMulError).toBeLessThan(1e-4);
    expect(out.values).toBe(256 * 2 * 64);
    expect(out.tanhError).toBeLessThan(1e-6);
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
