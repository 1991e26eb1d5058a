/**
 * The recurrent "add" task of Boopathy & Fiete 2022 (docs/papers.md §4): inputs x_t ~ Bernoulli(½)
 * for t = 0 … T−1 and targets
 *
 *   y_t = 0.5 + 0.5·x_{t−2} − 0.25·x_{t−5},
 *
 * where inputs before the sequence starts count as 0. The authors' generator shifted x with a
 * wrap-around (y_0 read x_{T−2}), so the first five targets depended on the sequence's end, which
 * no causal network can know; this generator has no wrap-around.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, assertDraw, createRng, defineSchema, resolveOptions, showValue } from '@learnability/core';
import type { Batch, OptionsOf, Rng, Task } from '@learnability/core';

/** The add task's options, each with its default written once. */
export const RECURRENT_ADD_SCHEMA = defineSchema({
  steps: {
    type: 'int',
    default: 100,
    min: 1,
    max: 10_000,
    doc: 'sequence length T',
    why: "Boopathy & Fiete 2022's length",
  },
  p: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'probability of x_t = 1' },
});

export type RecurrentAddOptions = OptionsOf<typeof RECURRENT_ADD_SCHEMA.fields>;

/** Options not given take their defaults. */
export type RecurrentAddConfig = Partial<RecurrentAddOptions>;

/** Lags and coefficients of the target: y_t = 0.5 + Σ coef·x_{t−lag}. */
export const ADD_TERMS: readonly { lag: number; coef: number }[] = [
  { lag: 2, coef: 0.5 },
  { lag: 5, coef: -0.25 },
];

/** Targets y (T) of one input sequence x (T), with x_{t<0} = 0. */
export function addTargets(
  x: ArrayLike<number>,
  out: Float32Array = new Float32Array(x.length),
  offset = 0,
): Float32Array {
  // A number (a length) read as an empty sequence, and gave no targets without a word.
  assert(
    typeof (x as ArrayLike<number> | null)?.length === 'number',
    () => `addTargets: x must be one input sequence (an array of 0/1), but got ${showValue(x)}`,
  );
  const T = x.length;
  // A short `out` or a negative offset lost targets without a word.
  if (!Number.isInteger(offset) || offset < 0 || offset + T > out.length)
    throw new RangeError(
      `addTargets: out (${out.length} values) must hold offset + x.length = ${offset} + ${T}, offset an integer ≥ 0`,
    );
  for (let t = 0; t < T; t++) {
    let y = 0.5;
    for (const { lag, coef } of ADD_TERMS) if (t - lag >= 0) y += coef * (x[t - lag] as number);
    out[offset + t] = y;
  }
  return out;
}

/** The add task as a core `Task`, with its host draw (optional in the contract) always there. */
export interface RecurrentAddTask extends Task {
  /** `sample`'s draw as plain arrays: x (N·T), y (N·T). */
  sampleHost(n: number, rng: Rng): { x: Float32Array; y: Float32Array };
}

/** The add task: x (N, T, 1), y (N, T); a `sequence` task with real targets scored by MSE. */
export function createRecurrentAddTask(config: RecurrentAddConfig = {}): RecurrentAddTask {
  const c = resolveOptions('recurrent-add', RECURRENT_ADD_SCHEMA, config);
  const T = c.steps;

  const sampleHost = (n: number, rng: Rng): { x: Float32Array; y: Float32Array } => {
    assertDraw('recurrent-add', n, rng);
    const x = new Float32Array(n * T);
    const y = new Float32Array(n * T);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform() < c.p ? 1 : 0;
    for (let s = 0; s < n; s++) addTargets(x.subarray(s * T, (s + 1) * T), y, s * T);
    return { x, y };
  };
  const toBatch = (host: { x: Float32Array; y: Float32Array }, n: number): Batch => ({
    x: tf.tensor3d(host.x.slice(), [n, T, 1]),
    y: tf.tensor2d(host.y.slice(), [n, T]),
    host,
  });

  return {
    name: 'recurrent-add',
    inputShape: [T, 1],
    outputSize: T,
    outputKind: 'real',
    layout: 'sequence',
    sample: (n, rng) => toBatch(sampleHost(n, rng), n),
    sampleHost,
    testSet: (n, seed) => toBatch(sampleHost(n, createRng(seed).fork('recurrent-add-test')), n),
    describe: () => ({ name: 'recurrent-add', ...c, target: 'y_t = 0.5 + 0.5·x_{t−2} − 0.25·x_{t−5}, x_{t<0} = 0' }),
  };
}
