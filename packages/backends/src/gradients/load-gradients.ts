/**
 * Register tfjs-core's gradients, once per process, in Node and in the browser.
 *
 * `@tensorflow/tfjs-core` alone registers no gradients (`tf.grad` fails with "gradient function
 * not found for Mean"); they live in its ESM file dist/register_all_gradients.js. Bundlers and
 * vitest import it as is. In Node this package ships the same file and what it imports bundled
 * into one module (vendor/tfjs-core-<version>-gradients.mjs, made by scripts/bundle-gradients.mjs),
 * used when the installed tfjs-core has that version: it loads in milliseconds. Plain Node ESM
 * cannot import tfjs-core's own file directly (extensionless relative imports), so for any other
 * version a resolve hook shipped with this package (hooks/tfjs-core-resolve.mjs) is registered
 * first; that way costs about half a second. The gradient registry is global (shared by
 * tfjs-core's CJS and ESM builds and the bundle), so gradients registered here serve whichever
 * copy of tfjs-core the caller imported.
 */
import { version_core } from '@tensorflow/tfjs-core';
import { runtimePlatform } from '../runtime.js';
import { registerBatchMatMulGradient } from './batch-mat-mul-grad.js';

let loading: Promise<void> | undefined;

/** The bundled gradients of the installed tfjs-core's version. */
const vendoredUrl = () => new URL(`../../vendor/tfjs-core-${version_core}-gradients.mjs`, import.meta.url);

/** Whether this package ships the installed tfjs-core's gradients bundled (Node only). */
async function vendored(): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  return existsSync(vendoredUrl());
}

async function load(): Promise<void> {
  if (runtimePlatform() !== 'node') {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } else if (await vendored()) {
    // vendor/ sits beside src/ and dist/ alike.
    await import(/* @vite-ignore */ vendoredUrl().href);
  } else {
    const { register } = await import('node:module');
    register(new URL('../../hooks/tfjs-core-resolve.mjs', import.meta.url));
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  }
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
