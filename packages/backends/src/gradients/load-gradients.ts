/**
 * Register tfjs-core's gradients, once per process, in Node and in the browser.
 *
 * `@tensorflow/tfjs-core` alone registers no gradients (`tf.grad` fails with "gradient function
 * not found for Mean"); they live in its ESM file dist/register_all_gradients.js. Bundlers and
 * vitest import it as is. Plain Node ESM cannot (extensionless relative imports), so in Node a
 * resolve hook shipped with this package (hooks/tfjs-core-resolve.mjs) is registered first. The
 * gradient registry is global (shared by tfjs-core's CJS and ESM builds), so gradients registered
 * here serve whichever copy of tfjs-core the caller imported.
 */
import { runtimePlatform } from '../runtime.js';
import { registerBatchMatMulGradient } from './batch-mat-mul-grad.js';

let loading: Promise<void> | undefined;

async function load(): Promise<void> {
  if (runtimePlatform() === 'node') {
    const { register } = await import('node:module');
    // The hook sits in hooks/, beside src/ and dist/ alike.
    register(new URL('../../hooks/tfjs-core-resolve.mjs', import.meta.url));
  }
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  // After the defaults, so it replaces theirs.
  registerBatchMatMulGradient();
}

/**
 * Registers every tfjs-core gradient, then a BatchMatMul gradient that is 3-10x faster on wasm
 * (batch-mat-mul-grad.ts). Idempotent; `setupBackend` calls it, so call it yourself only when you
 * set the TF.js backend by other means.
 */
export function loadGradients(): Promise<void> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
