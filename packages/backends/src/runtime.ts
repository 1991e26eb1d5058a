/**
 * Facts about where the code runs, read once, in one place.
 */
import type { RuntimePlatform } from './types.js';

/** `node` when `process.versions.node` exists (Node, also under vitest/tsx), else `browser`. */
export function runtimePlatform(): RuntimePlatform {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string' ? 'node' : 'browser';
}

/** Logical cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser. */
export async function logicalCores(): Promise<number> {
  if (runtimePlatform() === 'node') {
    const os = await import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  const n = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency;
  return Number.isInteger(n) && n > 0 ? n : 1;
}
