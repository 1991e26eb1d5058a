/**
 * The dense model's fused SGD step kernel: its name and attributes (the contract every backend's
 * implementation follows, as tfjs keeps kernel_names.ts apart from its backends).
 *
 * One SGD step of a dense ReLU MLP as a single kernel: forward, loss, backward and the update
 * θ ← θ − lr·(∇θ + weightDecay·θ) (coupled weight decay, no momentum), every replica at once.
 *
 * Inputs: x (R, B, n), y (R, B, out), then w0 (R, n, h0), b0 (R, 1, h0), …, w{L−1}, b{L−1}
 * (the dense model's parameters). Outputs: the new w0, b0, …, b{L−1}, then the per-replica
 * loss (R,) — the mean over batch and outputs of each replica, as the generic path computes it.
 */
import type { DenseSgdStepLoss } from './losses.js';

export const DENSE_SGD_STEP = 'LearnabilityDenseSgdStep';

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type DenseSgdStepAttrs = {
  /** Layers L (hidden layers + the linear readout). */
  layers: number;
  /** Per layer: z_l = scale_l · a_{l−1} W_l + b_l (1 for the standard parameterisation, 1/√fan_in for NTK). */
  scales: number[];
  loss: DenseSgdStepLoss;
  lr: number;
  weightDecay: number;
};

/** The shapes of one call, read off its inputs. */
export interface DenseStepShape {
  R: number;
  B: number;
  /** [n, h_0, …, out]. */
  sizes: number[];
}

/** Input names in order: x, y, w0, b0, …. */
export const denseStepInputNames = (layers: number): string[] => [
  'x',
  'y',
  ...Array.from({ length: layers }, (_, l) => [`w${l}`, `b${l}`]).flat(),
];

/**
 * Checks the inputs of a call against each other (shapes as above, float32) and returns them in
 * order with the shape; throws naming the kernel and the input that does not fit.
 */
export function checkDenseStepInputs<T extends { shape: number[]; dtype: string }>(
  inputs: Record<string, T | undefined>,
  layers: number,
): { list: T[]; shape: DenseStepShape } {
  const fail = (what: string): never => {
    throw new Error(`${DENSE_SGD_STEP}: ${what}`);
  };
  const names = denseStepInputNames(layers);
  const list = names.map((n) => inputs[n] ?? fail(`missing input "${n}" (expected ${names.join(', ')})`));
  const [x, y] = list as [T, T];
  if (list.some((t) => t.dtype !== 'float32')) fail('every input must be float32');
  if (x.shape.length !== 3) fail(`x must be rank 3 (R, B, n), but got [${x.shape.join(', ')}]`);
  const [R, B] = x.shape as [number, number, number];
  const sizes = [x.shape[2] as number];
  for (let l = 0; l < layers; l++) {
    const w = list[2 + 2 * l] as T;
    const b = list[3 + 2 * l] as T;
    const fanOut = w.shape[2] as number;
    if (w.shape.length !== 3 || w.shape[0] !== R || w.shape[1] !== sizes[l])
      fail(`w${l} must be (${R}, ${sizes[l]}, h), but got [${w.shape.join(', ')}]`);
    if (b.shape.join() !== [R, 1, fanOut].join())
      fail(`b${l} must be (${R}, 1, ${fanOut}), but got [${b.shape.join(', ')}]`);
    sizes.push(fanOut);
  }
  if (y.shape.join() !== [R, B, sizes[layers]].join())
    fail(`y must be (${R}, ${B}, ${sizes[layers]}), but got [${y.shape.join(', ')}]`);
  return { list, shape: { R, B, sizes } };
}
