/**
 * In-context parity: every prompt has its own hidden subset S (|S| = k), shows m labelled
 * examples and asks for the label of a query. A learner must infer S from the prompt — the
 * in-context form that GF(2) elimination solves from m ≥ n + O(1) examples (PAPERS.md §1, §2).
 *
 * Prompt layout (m + 1 rows, n + 1 columns):
 *
 *   row j < m : x_j ∈ {±1}^n, y_j ∈ {±1}
 *   row m     : x_q ∈ {±1}^n, 0            (the masked query label)
 *
 * and the target is y_q = Π_{i∈S} x_q,i.
 */
import { checkInt, checkKnownKeys, checkNumber, createRng, throwIfIssues } from '@learnability/core';
import type { Rng, Task } from '@learnability/core';
import { parityOfRow } from './parity-sampling.js';
import type { ParitySamples } from './parity-sampling.js';
import { parityBatch } from './sparse-parity.js';

export interface InContextParityConfig {
  /** Bits per example n. Required; 1 ≤ n. */
  n: number;
  /** Parity degree k = |S| of every prompt's subset. Required; 0 ≤ k ≤ n. */
  k: number;
  /** In-context examples m per prompt (the prompt has m + 1 rows). Required; 0 ≤ m. */
  examples: number;
  /** Label-noise rate η: each label (context and target) is flipped with this probability. Default 0; in [0, 0.5]. The test set is clean. */
  noise?: number;
}

/** Defaults of the optional fields: no label noise. */
export const IN_CONTEXT_PARITY_DEFAULTS = { noise: 0 } as const satisfies Required<
  Pick<InContextParityConfig, 'noise'>
>;

/** Host arrays of in-context prompts, with the subset each prompt used. */
export interface InContextParitySamples extends ParitySamples {
  /** subsets[p] is prompt p's hidden subset, increasing. */
  subsets: number[][];
}

/** An in-context parity `Task` with a host-array sampler that also returns each prompt's subset. */
export interface InContextParityTask extends Task {
  readonly n: number;
  readonly k: number;
  readonly examples: number;
  readonly noise: number;
  sampleHost(count: number, rng: Rng): InContextParitySamples;
}

const KNOWN = ['n', 'k', 'examples', 'noise'] as const;

/**
 * Draws `count` prompts: x (count · (m+1) · (n+1)) row-major, y (count). Per prompt the draws
 * are, in order: its subset (`rng.subset`), the (m+1)·n signs, then (when `noise` > 0) one
 * uniform per label, context labels first and the target last.
 */
export function sampleInContextParity(
  count: number,
  { n, k, examples, noise = 0 }: InContextParityConfig,
  rng: Rng,
): InContextParitySamples {
  const cols = n + 1;
  const promptSize = (examples + 1) * cols;
  const x = new Float32Array(count * promptSize);
  const y = new Float32Array(count);
  const bits = new Float32Array((examples + 1) * n);
  const subsets: number[][] = [];
  for (let p = 0; p < count; p++) {
    const subset = rng.subset(n, k);
    subsets.push(subset);
    rng.signs(bits);
    const base = p * promptSize;
    for (let row = 0; row <= examples; row++) {
      x.set(bits.subarray(row * n, row * n + n), base + row * cols);
      if (row < examples) x[base + row * cols + n] = parityOfRow(bits, row * n, subset);
    }
    y[p] = parityOfRow(bits, examples * n, subset);
    if (noise > 0) {
      for (let row = 0; row < examples; row++) {
        const at = base + row * cols + n;
        if (rng.uniform() < noise) x[at] = -(x[at] as number);
      }
      if (rng.uniform() < noise) y[p] = -(y[p] as number);
    }
  }
  return { x, y, subsets };
}

/** The in-context parity task. Throws `ConfigError` listing every invalid field. */
export function createInContextParityTask(config: InContextParityConfig): InContextParityTask {
  const { n, k, examples, noise = IN_CONTEXT_PARITY_DEFAULTS.noise } = config;
  throwIfIssues([
    ...checkKnownKeys('task', config, KNOWN),
    ...checkInt('task.n', n, 1),
    ...checkInt('task.k', k, 0, Number.isInteger(n) && n >= 1 ? n : Number.MAX_SAFE_INTEGER),
    ...checkInt('task.examples', examples, 0),
    ...checkNumber('task.noise', noise, 0, 0.5),
  ]);
  const inputShape = [examples + 1, n + 1];
  const sampleHost = (count: number, rng: Rng) => sampleInContextParity(count, { n, k, examples, noise }, rng);
  return {
    name: 'in-context-parity',
    inputShape,
    outputSize: 1,
    outputKind: 'sign',
    layout: 'sequence',
    n,
    k,
    examples,
    noise,
    sampleHost,
    sample: (count, rng) => parityBatch(sampleHost(count, rng), inputShape),
    testSet: (count, seed) =>
      parityBatch(
        sampleInContextParity(count, { n, k, examples }, createRng(seed).fork('in-context-parity-test')),
        inputShape,
      ),
    describe: () => ({ name: 'in-context-parity', n, k, examples, noise }),
  };
}
