/**
 * The (sparse, full, noisy) parity task of Barak et al. 2022 (docs/papers.md §1): x uniform on
 * {±1}^n, y = Π_{i∈S} x_i over a hidden subset S with |S| = k; k = n is full parity.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, createRng, defineSchema, kAtMostN, labelNoiseField, resolveOptions } from '@learnability/core';
import type { Batch, OptionsOf, Params, Rng, Task } from '@learnability/core';
import { PARITY_ENCODINGS, sampleParity, sampleParityWords } from './parity-sampling.js';
import type { ParityEncoding, ParitySamples } from './parity-sampling.js';
import { parityMeasures } from './subset-weight-share.js';

/** The parity task's options, each with its default written once (k = n: full parity). */
export const SPARSE_PARITY_SCHEMA = defineSchema(
  {
    n: { type: 'int', default: 50, min: 1, max: 1 << 20, doc: 'input bits' },
    k: { type: 'int', default: 3, min: 0, doc: 'parity degree |S| (k = n: full parity)' },
    noise: labelNoiseField(0),
    encoding: {
      type: 'enum',
      values: PARITY_ENCODINGS,
      default: 'pm1',
      doc: 'input encoding: ±1 or 0/1',
    },
    seed: { type: 'int', default: 0, min: 0, max: 2 ** 31, doc: 'seed of the hidden subset S' },
  },
  [kAtMostN],
);

export type SparseParityOptions = OptionsOf<typeof SPARSE_PARITY_SCHEMA.fields>;

/**
 * The parity task's config: options not given take their defaults. `encoding` `pm1` gives
 * x ∈ {−1, +1}^n, `01` gives x01 = (1 − x)/2 ∈ {0, 1}^n; labels stay ±1, and the test set is
 * always clean.
 */
export interface SparseParityConfig extends Partial<SparseParityOptions> {
  /**
   * The hidden subset S (k distinct indices in [0, n)). Default: drawn from `seed` with
   * `createRng(seed).subset(n, k)`.
   */
  subset?: readonly number[];
}

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

/** Checks `subset` is k distinct integers in [0, n); returns it sorted. */
function checkedSubset(subset: readonly number[], n: number, k: number): { value: number[]; message?: string } {
  // Plain JS may give a number, null or a string ("12" spread into ["1", "2"]).
  if (!Array.isArray(subset))
    return {
      value: [],
      message: `must be an array of k = ${k} distinct indices in [0, ${n}), but got ${JSON.stringify(subset)}`,
    };
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

/** The parity task. Throws `ConfigError` listing every invalid option. */
export function createSparseParityTask(config: SparseParityConfig = {}): SparseParityTask {
  const { n, k, noise, encoding, seed } = resolveOptions('sparse-parity', SPARSE_PARITY_SCHEMA, config, ['subset']);
  let subset: readonly number[];
  if (config.subset === undefined) subset = createRng(seed).subset(n, k);
  else {
    // The seed only draws the subset: beside a given one it would be ignored, yet recorded.
    if (config.seed !== undefined)
      throw new ConfigError([
        { path: 'sparse-parity.seed', message: 'draws the subset, which subset gives here; leave seed out' },
      ]);
    const checked = checkedSubset(config.subset, n, k);
    if (checked.message !== undefined)
      throw new ConfigError([{ path: 'sparse-parity.subset', message: checked.message }]);
    subset = checked.value;
  }
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
    describe: () => ({
      name: 'sparse-parity',
      n,
      k,
      subset: [...subset],
      noise,
      encoding,
      ...(config.subset === undefined ? { seed } : {}),
    }),
  };
}
