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
      let expected = 0; // c[0][0]
      for (let k = 0; k < 256; k++) expected += av[k] * bv[k * 256];
      // Tanh and the split run in heap-routines.ts's module, instantiated on the shared heap.
      const [left] = tf.split(tf.tanh(tf.reshape(a, [256, 2, 128])), 2, 2);
      const t = await left.data();
      process.stdout.write(JSON.stringify({ info, backend: tf.getBackend(), c00: c[0], expected, t1: t[1], a1: av[1] }));
    `);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      info: { threads: number; simd: boolean };
      backend: string;
      c00: number;
      expected: number;
      t1: number;
      a1: number;
    };
    expect(out.backend).toBe('wasm');
    expect(out.info.threads).toBe(2);
    expect(out.info.simd).toBe(true);
    expect(Math.abs(out.c00 - out.expected)).toBeLessThan(1e-4);
    expect(out.t1).toBeCloseTo(Math.tanh(out.a1), 6);
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
