import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import type { Batch, Params } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createRnn } from '@learnability/rnn';
import type { RefNet } from './reference-rules.js';

export const R = 2;
/** A ReLU MLP 5 → 7 → 6 → 3, NTK, N(0, 1/fan_in) biases, 2 replicas. */
export const SIZES = [5, 7, 6, 3];
export const dense = (replicas = R) =>
  createDense({ inputSize: 5, widths: [7, 6], outputSize: 3, parameterization: 'ntk', bias: 'fan-in', replicas });
/** A ReLU RNN, d = 1, T = 4, n = 5, 2 replicas. */
export const rnn = (replicas = R, width = 5) => createRnn({ inputSize: 1, steps: 4, width, replicas, bias: 'fan-in' });

const normals = (shape: number[], seed: number, std = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, std);
  return tf.tensor(v, shape);
};
const bits = (shape: number[], seed: number) => {
  const rng = createRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.uniform() < 0.5 ? 0 : 1)),
    shape,
  );
};

export const denseBatch = (seed: number, B = 4, replicas = R): Batch => ({
  x: normals([replicas, B, 5], seed),
  y: normals([replicas, B, 3], seed + 1000, 0.5),
});
export const rnnBatch = (seed: number, B = 3, replicas = R): Batch => ({
  x: bits([replicas, B, 4, 1], seed),
  y: normals([replicas, B, 4], seed + 1000, 0.5),
});

/** A learnable toy for the RNN: fresh bit streams x_t ∈ {0, 1}, target y_t = x_t − ½ at every step t. */
export function rnnToy(step: number, replicas = R, B = 16): Batch {
  const x = bits([replicas, B, 4, 1], 5000 + step);
  return { x, y: tf.tidy(() => tf.sub(tf.reshape(x, [replicas, B, 4]), 0.5)) };
}

export async function read(params: Record<string, tf.Tensor>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(params)) out[k] = (await t.data()) as Float32Array;
  return out;
}

/** Replica r of dense params as a reference network. */
export function refNet(data: Record<string, Float32Array>, r: number, sizes = SIZES): RefNet {
  const replica = (name: string, size: number) =>
    Float64Array.from((data[name] as Float32Array).subarray(r * size, (r + 1) * size));
  return {
    w: sizes.slice(1).map((fanOut, l) => replica(`w${l}`, (sizes[l] as number) * fanOut)),
    b: sizes.slice(1).map((fanOut, l) => replica(`b${l}`, fanOut)),
  };
}

/** Rows of replica r of a (R, B, k) tensor's data. */
export function rows(data: Float32Array, r: number, B: number, k: number): number[][] {
  return Array.from({ length: B }, (_, n) => Array.from(data.subarray((r * B + n) * k, (r * B + n + 1) * k)));
}

export const disposeBatch = (b: Batch) => tf.dispose([b.x, b.y]);
export const cloneParams = (p: Params): Params => Object.fromEntries(Object.entries(p).map(([k, t]) => [k, t.clone()]));
