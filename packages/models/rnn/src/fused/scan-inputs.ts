/**
 * The scan kernels' check of their inputs (wasm-scan.ts, webgpu-scan.ts), in one line each, and
 * the sizes they work with.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** Throws `<kernel>: expected <what>`. */
export const fail = (kernelName: string, what: string): never => {
  throw new Error(`${kernelName}: expected ${what}`);
};

/**
 * T, R, B, n from the sequence inputs (each float32 (T, R, B, n), named in `sequences`) and w
 * (R, n, n), once every shape agrees.
 */
export function scanSizes(kernelName: string, inputs: Record<string, TensorInfo>, sequences: readonly string[]) {
  for (const [name, x] of Object.entries(inputs))
    if (x.dtype !== 'float32') fail(kernelName, `a float32 input "${name}"`);
  const first = inputs[sequences[0] as string] as TensorInfo;
  const [T, R, B, n] = first.shape as [number, number, number, number];
  if (first.shape.length !== 4 || T < 1)
    fail(kernelName, `${sequences[0]} (T, R, B, n) with T ≥ 1, but got (${first.shape})`);
  for (const name of sequences.slice(1))
    if (`${inputs[name]?.shape}` !== `${first.shape}`)
      fail(kernelName, `${name} shaped as ${sequences[0]} (${first.shape}), but got (${inputs[name]?.shape})`);
  const w = inputs.w as TensorInfo;
  if (`${w.shape}` !== `${R},${n},${n}`) fail(kernelName, `w (R, n, n) = (${R},${n},${n}), but got (${w.shape})`);
  return { T, R, B, n, step: R * B * n };
}
