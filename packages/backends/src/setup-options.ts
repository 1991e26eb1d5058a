/**
 * Options of `setupBackend`, with their defaults beside them.
 */
import type { KernelPlugin } from '@learnability/core';

export interface SetupBackendOptions {
  /**
   * wasm only: XNNPACK threads, 1 to `WASM_MAX_THREADS` (8, tfjs-wasm's pool; more is refused).
   * Default: the logical cores, at most 8 (Node: `os.availableParallelism()`; browser:
   * `navigator.hardwareConcurrency`); in the browser threads need a cross-origin-isolated page. The
   * count in effect is fixed once per process by the first wasm setup; asking for another one
   * later is an error, leaving it unset accepts the one running.
   */
  threads?: number;
  /**
   * wasm in a browser: URL prefix (ending in `/`) where tfjs-backend-wasm's `.wasm` files are
   * served, passed to tfjs's `setWasmPaths`. Default: unset (tfjs looks beside its script, which
   * after bundling is usually wrong; Node reads them from the package).
   */
  wasmPaths?: string;
  /**
   * Silence TF.js's console output (its Node.js banner, platform and kernel warnings) by setting
   * the tfjs flag `PROD`. Default: true. A failed backend initialisation then loses its tfjs log
   * line; set false to see it.
   */
  quiet?: boolean;
  /**
   * webgpu in Node only: options for Dawn's `create()`, e.g. `['backend=vulkan']` or
   * `['adapter=llvmpipe']`. Default: `[]`. Only the first webgpu probe or setup in a process uses
   * them.
   */
  dawnOptions?: readonly string[];
  /**
   * Fused kernels to prepare and register for the backend being set up (others are ignored),
   * e.g. `@learnability/dense`'s `DENSE_KERNELS`. Default: none: models then train on the
   * generic TF.js path and say so.
   */
  kernels?: readonly KernelPlugin[];
}

/** Default for `quiet`: a library must not print. */
export const DEFAULT_QUIET = true;

/** `SetupBackendOptions`' keys: any other (a typo such as `kernal`) is refused, not ignored. */
export const SETUP_OPTION_KEYS: readonly string[] = ['threads', 'wasmPaths', 'quiet', 'dawnOptions', 'kernels'];
