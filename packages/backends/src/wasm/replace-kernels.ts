/**
 * Swapping a tfjs-wasm kernel's function for ours, idempotently: the new config carries a marker,
 * so a second install (the backend set up again) finds it and does nothing.
 */
import { registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

/** Whether `config` is one of ours, installed under `marker`. */
export const isReplaced = (config: KernelConfig, marker: symbol): boolean =>
  (config as KernelConfig & { [marker]?: true })[marker] === true;

/** Registers each kernel again with our function, marked with `marker`. */
export function replaceKernels(marker: symbol, replacements: readonly (readonly [KernelConfig, KernelFunc])[]): void {
  for (const [config, kernelFunc] of replacements) {
    unregisterKernel(config.kernelName, config.backendName);
    registerKernel({ ...config, kernelFunc, [marker]: true } as KernelConfig);
  }
}
