/**
 * Options of `setupBackend`, with their defaults beside them.
 */
import { ConfigError, unknownKeyMessage } from '@learnability/core';
import type { ConfigIssue, KernelPlugin } from '@learnability/core';

/**
 * The most threads tfjs-backend-wasm 4.22 runs: its pool holds 8 (asked for 9 or 12, it ran 8).
 * More is refused rather than quietly cut.
 */
export const WASM_MAX_THREADS = 8;

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

const isPlugin = (k: unknown): boolean =>
  typeof k === 'object' &&
  k !== null &&
  typeof (k as KernelPlugin).kernelName === 'string' &&
  ['cpu', 'wasm', 'webgpu'].includes((k as KernelPlugin).backendName) &&
  typeof (k as KernelPlugin).prepare === 'function';

/**
 * Throws one ConfigError naming every option that is not what `SetupBackendOptions` says (plain JS
 * may pass `quiet: 'no'`, `kernels: [5]` or `threads: -1`, which were taken or ignored).
 */
export function checkSetupOptions(options: unknown): asserts options is SetupBackendOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new ConfigError([
      {
        path: 'setupBackend',
        message: `expected an options object such as { threads: 4 }, or none, but got ${JSON.stringify(options)}`,
      },
    ]);
  const o = options as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  const at = (key: string, message: string) => issues.push({ path: `setupBackend.${key}`, message });
  for (const key of Object.keys(o))
    if (!SETUP_OPTION_KEYS.includes(key))
      issues.push({ path: 'setupBackend', message: unknownKeyMessage(key, SETUP_OPTION_KEYS) });
  const threads = o.threads as number | undefined;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= WASM_MAX_THREADS))
    at(
      'threads',
      `wasm threads must be an integer from 1 to ${WASM_MAX_THREADS} (tfjs-backend-wasm's pool), got ${JSON.stringify(threads)}`,
    );
  if (o.wasmPaths !== undefined && typeof o.wasmPaths !== 'string')
    at('wasmPaths', `expected a URL prefix (a string), but got ${JSON.stringify(o.wasmPaths)}`);
  if (o.quiet !== undefined && typeof o.quiet !== 'boolean')
    at('quiet', `expected true or false, but got ${JSON.stringify(o.quiet)}`);
  if (
    o.dawnOptions !== undefined &&
    !(Array.isArray(o.dawnOptions) && o.dawnOptions.every((d) => typeof d === 'string'))
  )
    at(
      'dawnOptions',
      `expected an array of strings such as ["backend=vulkan"], but got ${JSON.stringify(o.dawnOptions)}`,
    );
  if (o.kernels !== undefined && !(Array.isArray(o.kernels) && o.kernels.every(isPlugin)))
    at(
      'kernels',
      'expected an array of kernel plug-ins (each { kernelName, backendName, prepare }), e.g. DENSE_KERNELS',
    );
  if (issues.length > 0) throw new ConfigError(issues);
}
