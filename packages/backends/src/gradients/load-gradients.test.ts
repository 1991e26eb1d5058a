import { describe, expect, it } from 'vitest';
import { runNodeScript, withoutDawnNotes } from '../test-support/run-node.js';

describe('loadGradients in plain Node ESM (no vitest, no bundler)', () => {
  it('lets tf.grad run after setupBackend, and prints nothing', async () => {
    const run = await runNodeScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import { setupBackend } from '@learnability/backends';
      await setupBackend('cpu');
      const g = tf.grad((x) => tf.mean(tf.square(x)));
      const dx = await g(tf.tensor([1, 2, 3])).data();
      const dw = await tf.grads((a, b) => tf.sum(tf.matMul(a, b)))([tf.ones([2, 3]), tf.ones([3, 4])])[0].data();
      process.stdout.write(JSON.stringify({ dx: Array.from(dx), dw: Array.from(dw) }));
    `);
    expect(withoutDawnNotes(run.stderr)).toBe('');
    expect(run.code).toBe(0);
    const out: unknown = JSON.parse(run.stdout);
    // d/dx mean(x²) = 2x/3; d/dA sum(A·B) = row sums of B (all 4).
    expect(out).toEqual({ dx: [2 / 3, 4 / 3, 2].map(Math.fround), dw: [4, 4, 4, 4, 4, 4] });
  });

  it('fails without it: tfjs-core alone has no gradients in plain Node', async () => {
    const run = await runNodeScript(`
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      tf.env().set('PROD', true);
      try { tf.grad((x) => tf.mean(x))(tf.ones([2])); process.stdout.write('no error'); }
      catch (e) { process.stdout.write(String(e.message)); }
    `);
    expect(run.stdout).toMatch(/gradient function not found for Mean/);
  });
});
