/**
 * The (sparse, full, noisy) parity task of Barak et al. 2022 (PAPERS.md §1): x uniform on
 * {±1}^n, y = Π_{i∈S} x_i over a hidden subset S with |S| = k; k = n is full parity.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInt, checkKnownKeys, checkNumber, checkOneOf, createRng, throwIfIssues } from '@learnability/core';
import type { Batch, Params, Rng, Task } from '@learnability/core';
import { sampleParity, sampleParityWords } from './parity-sampling.js';
import type { ParityEncoding, ParitySamples } from './parity-sampling.js';
import { parityMeasures } from './subset-weight-share.js';

export interface SparseParityConfig {
  /** Input dimension n (bits). Required; 1 ≤ n. */
  n: number;
  /** Parity degree k = |S|; k = n is full parity. Required; 0 ≤ k ≤ n. */
  k: number;
  /**
   * The hidden subset S (k distinct indices in [0, n)). Default: drawn from `seed` with
   * `createRng(seed).subset(n, k)`.
   */
  subset?: readonly number[];
  /** Label-noise rate η: each training label is flipped with this probability. Default 0; in [0, 0.5]. The test set is always clean. */
  noise?: number;
  /** Input encoding: `pm1` gives x ∈ {−1, +1}^n, `01` gives x01 = (1 − x)/2 ∈ {0, 1}^n. Labels stay ±1. Default `pm1`. */
  encoding?: ParityEncoding;
  /** Seed of the hidden subset S (ignored when `subset` is given). Default 0. */
  seed?: number;
}

/** Defaults of the optional fields: no label noise, ±1 inputs, subset seed 0. */
export const SPARSE_PARITY_DEFAULTS = { noise: 0, encoding: 'pm1', seed: 0 } as const satisfies Required<
  Pick<SparseParityConfig, 'noise' | 'encoding' | 'seed'>
>;

/** A parity `Task` that also exposes its hidden subset. */
export interface SparseParityTask extends Task {
  /** The hidden subset S, increasing. */
  readonly subset: readonly number[];
  readonly n: number;
  readonly k: number;
  readonly noise: number;
  readonly encoding: ParityEncoding;
  /** The same draw as `sample(count, rng)` as host arrays (x (count·n) row-major, y (count)). */
  sampleHost(count: number, rng: Rng): ParitySamples;
}

const KNOWN = ['n', 'k', 'subset', 'noise', 'encoding', 'seed'] as const;

/** Checks `subset` is k distinct integers in [0, n); returns it sorted. */
function checkedSubset(subset: readonly number[], n: number, k: number): { value: number[]; message?: string } {
  const sorted = [...subset].sort((a, b) => a - b);
  const bad = sorted.find((i, j) => !Number.isInteger(i) || i < 0 || i >= n || (j > 0 && sorted[j - 1] === i));
  if (bad !== undefined) return { value: sorted, message: `must hold distinct integers in [0, ${n}), but has ${bad}` };
  if (sorted.length !== k) return { value: sorted, message: `must have k = ${k} entries, but has ${sorted.length}` };
  return { value: sorted };
}

/** Makes host arrays into a Batch: x (count, n), y (count, 1). Tensors get their own copies. */
export function parityBatch(samples: ParitySamples, inputShape: readonly number[]): Batch {
  const count = samples.y.length;
  return {
    x: tf.tensor(samples.x.slice(), [count, ...inputShape], 'float32'),
    y: tf.tensor2d(samples.y.slice(), [count, 1], 'float32'),
    host: { x: samples.x, y: samples.y },
  };
}

/** The parity task. Throws `ConfigError` listing every invalid field. */
export function createSparseParityTask(config: SparseParityConfig): SparseParityTask {
  const D = SPARSE_PARITY_DEFAULTS;
  const { n, k, noise = D.noise, encoding = D.encoding, seed = D.seed } = config;
  const issues = [
    ...checkKnownKeys('task', config, KNOWN),
    ...checkInt('task.n', n, 1),
    ...checkInt('task.k', k, 0, Number.isInteger(n) && n >= 1 ? n : Number.MAX_SAFE_INTEGER),
    ...checkNumber('task.noise', noise, 0, 0.5),
    ...checkOneOf('task.encoding', encoding, ['pm1', '01']),
    ...checkInt('task.seed', seed, -Number.MAX_SAFE_INTEGER),
  ];
  let subset: readonly number[] = [];
  if (issues.length === 0) {
    if (config.subset === undefined) subset = createRng(seed).subset(n, k);
    else {
      const checked = checkedSubset(config.subset, n, k);
      if (checked.message !== undefined) issues.push({ path: 'task.subset', message: checked.message });
      subset = checked.value;
    }
  }
  throwIfIssues(issues);
  Object.freeze(subset);
  const sampleHost = (count: number, rng: Rng): ParitySamples =>
    sampleParity(count, n, subset, { noise, encoding }, rng);
  // Packed signs are ±1 inputs: the {0, 1} encoding keeps to sampleHost.
  const packed =
    encoding === 'pm1'
      ? {
          sampleSigns: (count: number, rng: Rng, out: { words: Uint32Array; y: Float32Array }) =>
            void sampleParityWords(count, n, subset, noise, rng, out),
        }
      : {};

  return {
    name: 'sparse-parity',
    inputShape: [n],
    outputSize: 1,
    outputKind: 'sign',
    layout: 'vector',
    subset,
    n,
    k,
    noise,
    encoding,
    sampleHost,
    ...packed,
    sample: (count, rng) => parityBatch(sampleHost(count, rng), [n]),
    // Clean labels, and a stream apart from any training stream that uses the same seed.
    testSet: (count, testSeed) =>
      parityBatch(sampleParity(count, n, subset, { encoding }, createRng(testSeed).fork('parity-test')), [n]),
    measures: (params: Params) => parityMeasures(params, n, subset),
    describe: () => ({ name: 'sparse-parity', n, k, subset: [...subset], noise, encoding, seed }),
  };
}
