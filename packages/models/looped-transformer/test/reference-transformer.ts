/**
 * A plain-JS float64 looped GPT-2 for one replica and one prompt: the reference the TF.js model
 * is checked against. Written straight from the equations, token by token, with explicit loops:
 *
 *   P = x W_in + b_in;  Y₀ = 0;  Y_t = LN_f(blocks(Y_{t−1} + P + pos));  ŷ_t = Y_t W_out + b_out
 *   block: h = x + proj(attn(LN₁(x)));  h + out(GELU(fc(LN₂(h))))
 */
import type * as tf from '@tensorflow/tfjs-core';

type Matrix = Float64Array[];

/** One replica's weights: name → row-major values and shape without the replica axis. */
export type RefWeights = Record<string, { values: Float64Array; shape: number[] }>;

export interface RefConfig {
  layers: number;
  heads: number;
  epsilon: number;
  readout: 'interleaved' | 'last';
}

/** Slices replica r out of model params. */
export async function refWeights(params: Record<string, tf.Tensor>, r: number): Promise<RefWeights> {
  const out: RefWeights = {};
  for (const [name, t] of Object.entries(params)) {
    const [, ...shape] = t.shape;
    const size = shape.reduce((a, b) => a * b, 1);
    const values = (await t.data()) as Float32Array;
    out[name] = { values: Float64Array.from(values.subarray(r * size, (r + 1) * size)), shape };
  }
  return out;
}

function w(weights: RefWeights, name: string): { values: Float64Array; shape: number[] } {
  const v = weights[name];
  if (!v) throw new Error(`reference: missing weight ${name}`);
  return v;
}

/** rows (N × fanIn) · W (fanIn × fanOut) + b. */
function affine(rows: Matrix, weights: RefWeights, name: string): Matrix {
  const W = w(weights, `${name}.w`);
  const b = w(weights, `${name}.b`).values;
  const [fanIn, fanOut] = W.shape as [number, number];
  return rows.map((row) => {
    const out = new Float64Array(fanOut);
    for (let j = 0; j < fanOut; j++) {
      let s = b[j] as number;
      for (let i = 0; i < fanIn; i++) s += (row[i] as number) * (W.values[i * fanOut + j] as number);
      out[j] = s;
    }
    return out;
  });
}

function layerNorm(rows: Matrix, weights: RefWeights, name: string, epsilon: number): Matrix {
  const g = w(weights, `${name}.g`).values;
  const b = w(weights, `${name}.b`).values;
  return rows.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + epsilon)) * (g[j] as number) + (b[j] as number));
  });
}

const gelu = (z: number) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
const add = (a: Matrix, b: Matrix): Matrix =>
  a.map((row, i) => row.map((v, j) => v + ((b[i] as Float64Array)[j] as number)));

/** Causal multi-head attention of one layer on one prompt (T × D). */
export function refAttention(x: Matrix, weights: RefWeights, prefix: string, heads: number): Matrix {
  const T = x.length;
  const D = (x[0] as Float64Array).length;
  const hs = D / heads;
  const qkv = affine(x, weights, `${prefix}.qkv`);
  const merged: Matrix = Array.from({ length: T }, () => new Float64Array(D));
  for (let h = 0; h < heads; h++) {
    const q = (i: number, k: number) => (qkv[i] as Float64Array)[h * hs + k] as number;
    const key = (i: number, k: number) => (qkv[i] as Float64Array)[D + h * hs + k] as number;
    const val = (i: number, k: number) => (qkv[i] as Float64Array)[2 * D + h * hs + k] as number;
    for (let i = 0; i < T; i++) {
      // Token i sees keys 0..i only.
      const scores: number[] = [];
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < hs; k++) s += q(i, k) * key(j, k);
        scores.push(s / Math.sqrt(hs));
      }
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const z = e.reduce((a, v) => a + v, 0);
      for (let k = 0; k < hs; k++) {
        let s = 0;
        for (let j = 0; j <= i; j++) s += ((e[j] as number) / z) * val(j, k);
        (merged[i] as Float64Array)[h * hs + k] = s;
      }
    }
  }
  return affine(merged, weights, `${prefix}.proj`);
}

function block(x: Matrix, weights: RefWeights, l: number, c: RefConfig): Matrix {
  const h = add(x, refAttention(layerNorm(x, weights, `h${l}.ln1`, c.epsilon), weights, `h${l}`, c.heads));
  const hidden = affine(layerNorm(h, weights, `h${l}.ln2`, c.epsilon), weights, `h${l}.fc`).map((r) => r.map(gelu));
  return add(h, affine(hidden, weights, `h${l}.out`));
}

/** Read-in P = x W_in + b_in of one prompt (T × d → T × D). */
export function refReadIn(x: number[][], weights: RefWeights): Matrix {
  return affine(
    x.map((r) => Float64Array.from(r)),
    weights,
    'readIn',
  );
}

/** One loop iteration: Y_t = LN_f(blocks(Y_{t−1} + P + pos)). */
export function refIterate(y: Matrix, p: Matrix, weights: RefWeights, c: RefConfig): Matrix {
  const D = (p[0] as Float64Array).length;
  const pos = w(weights, 'pos').values;
  let h: Matrix = y.map((row, i) =>
    row.map((v, j) => v + ((p[i] as Float64Array)[j] as number) + (pos[i * D + j] as number)),
  );
  for (let l = 0; l < c.layers; l++) h = block(h, weights, l, c);
  return layerNorm(h, weights, 'lnF', c.epsilon);
}

/** The read-out of a state: at x tokens 0, 2, … (interleaved) or at the last token. */
export function refReadout(y: Matrix, weights: RefWeights, c: RefConfig): number[] {
  const rows = c.readout === 'interleaved' ? y.filter((_, i) => i % 2 === 0) : [y[y.length - 1] as Float64Array];
  return affine(rows, weights, 'readOut').map((r) => r[0] as number);
}

/** Predictions after each loop 1..loops for one prompt x (T × d): loops arrays of outputs. */
export function refPredictionsByLoop(x: number[][], weights: RefWeights, c: RefConfig, loops: number): number[][] {
  const p = refReadIn(x, weights);
  let y: Matrix = p.map((row) => new Float64Array(row.length));
  const out: number[][] = [];
  for (let t = 0; t < loops; t++) {
    y = refIterate(y, p, weights, c);
    out.push(refReadout(y, weights, c));
  }
  return out;
}

/** The state after the first `loops` iterations of one prompt (Y₀ = 0). */
export function refStateAfter(x: number[][], weights: RefWeights, c: RefConfig, loops: number): Matrix {
  const p = refReadIn(x, weights);
  let y: Matrix = p.map((row) => new Float64Array(row.length));
  for (let t = 0; t < loops; t++) y = refIterate(y, p, weights, c);
  return y;
}

/**
 * Yang et al.'s truncated loop loss of one prompt from a given state Y_{b−T} (held fixed, as the
 * trainer's gradient treats it): the mean over the last T iterations of mean over the
 * predictions of (ŷ_t − y)².
 */
export function refTruncatedLoss(
  x: number[][],
  targets: number[],
  start: Matrix,
  weights: RefWeights,
  c: RefConfig,
  lossLoops: number,
): number {
  const p = refReadIn(x, weights);
  let y = start;
  let total = 0;
  for (let t = 0; t < lossLoops; t++) {
    y = refIterate(y, p, weights, c);
    const pred = refReadout(y, weights, c);
    total += pred.reduce((s, v, i) => s + (v - (targets[i] as number)) ** 2, 0) / pred.length;
  }
  return total / lossLoops;
}
