import * as tf from '@tensorflow/tfjs-core';
import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

/** What `timeMatMul` measured: TFLOP/s of (n × n)·(n × n) fp32 matMuls, 2n³ flops each. */
export interface MatMulTiming {
  size: number;
  /** MatMuls per timed sample. */
  iters: number;
  tflops: SampleSummary;
}

/**
 * TFLOP/s of `iters` back-to-back fp32 matMuls (`product`, default tf.matMul) of two n × n matrices on the active backend, per
 * sample. A sample ends when one element of the last product is read back: a GPU runs its
 * queue in order, so that read waits for every matMul, without timing a 64 MB download. One
 * untimed product first (shader compilation, buffer allocation).
 */
export async function timeMatMul(
  size: number,
  iters: number,
  repeats: number,
  product: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor = tf.matMul,
): Promise<MatMulTiming> {
  const a = tf.randomUniform([size, size], -1, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomUniform([size, size], -1, 1, 'float32', 2) as tf.Tensor2D;
  const run = async (count: number) => {
    let last: tf.Tensor | null = null;
    for (let i = 0; i < count; i++) {
      last?.dispose();
      last = product(a, b);
    }
    const corner = tf.slice(last as tf.Tensor, [0, 0], [1, 1]);
    await corner.data();
    tf.dispose([corner, last as tf.Tensor]);
  };
  const samples: number[] = [];
  try {
    await run(1);
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      await run(iters);
      const seconds = (performance.now() - t0) / 1000;
      samples.push((2 * size ** 3 * iters) / seconds / 1e12);
    }
  } finally {
    tf.dispose([a, b]);
  }
  return { size, iters, tflops: summarizeSamples(samples) };
}

/** How a product kernel's C compared with tf.matMul's on the same two n × n matrices. */
export interface MatMulAgreement {
  size: number;
  maxAbsDiff: number;
  /** max |C| of tf.matMul's product: the scale the difference is judged against. */
  maxAbs: number;
  /** maxAbsDiff ≤ 1e-4 · maxAbs: float32 sums in another order differ by far less; a lost row or tile by far more. */
  agrees: boolean;
}

/**
 * `product` (the tiled kernel) against tf.matMul on the same two random n × n matrices, compared
 * on the device: two floats come back, not the 64 MB products.
 */
export async function matMulAgreement(
  size: number,
  product: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor,
): Promise<MatMulAgreement> {
  // Everything made here is disposed on every way out: a product past the device's limits throws.
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (made.push(t), t);
  try {
    const a = keep(tf.randomUniform([size, size], -1, 1, 'float32', 3) as tf.Tensor2D);
    const b = keep(tf.randomUniform([size, size], -1, 1, 'float32', 4) as tf.Tensor2D);
    const ours = keep(product(a, b));
    const theirs = keep(tf.matMul(a, b));
    const diff = keep(tf.tidy(() => tf.max(tf.abs(tf.sub(ours, theirs)))));
    const scale = keep(tf.tidy(() => tf.max(tf.abs(theirs))));
    const [maxAbsDiff, maxAbs] = [(await diff.data())[0] as number, (await scale.data())[0] as number];
    return { size, maxAbsDiff, maxAbs, agrees: maxAbsDiff <= 1e-4 * maxAbs };
  } finally {
    tf.dispose(made);
  }
}
