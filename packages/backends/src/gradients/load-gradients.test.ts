import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { bundleGradients, bundlePath, tfjsCoreVersion } from '../../scripts/bundle-gradients.mjs';
import { runNodeScript, withoutDawnNotes } from '../test-support/run-node.js';

/** A script's line that prints the gradient registry's kernel names, sorted. */
const PRINT_GRADIENTS = `process.stdout.write(JSON.stringify([...globalThis._tfGlobals.get('gradRegistry').keys()].sort()));`;

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

  it("ships the installed tfjs-core's gradients bundled, exactly as scripts/bundle-gradients.mjs makes them", async () => {
    const path = bundlePath(tfjsCoreVersion());
    const fix = 'run pnpm --filter @learnability/backends bundle:gradients after a tfjs-core upgrade';
    expect(() => readFileSync(path, 'utf8'), fix).not.toThrow();
    expect(readFileSync(path, 'utf8') === (await bundleGradients()), fix).toBe(true);
  });

  it("the bundle registers the same gradients as tfjs-core's own file, through the resolve hook", async () => {
    const viaBundle = await runNodeScript(`
      import '@tensorflow/tfjs-core';
      await import(${JSON.stringify(bundlePath(tfjsCoreVersion()).href)});
      ${PRINT_GRADIENTS}
    `);
    const viaHook = await runNodeScript(`
      import '@tensorflow/tfjs-core';
      import { register } from 'node:module';
      register(new URL('./hooks/tfjs-core-resolve.mjs', 'file://' + process.cwd() + '/'));
      await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
      ${PRINT_GRADIENTS}
    `);
    expect(viaHook.stderr).toBe('');
    const names: unknown = JSON.parse(viaHook.stdout);
    expect(names).toEqual(expect.arrayContaining(['BatchMatMul', 'Mean', 'Relu', 'Softmax']));
    expect(JSON.parse(viaBundle.stdout)).toEqual(names);
  });
});
