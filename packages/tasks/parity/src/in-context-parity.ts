/**
 * In-context parity: every prompt has its own hidden subset S (|S| = k), shows m labelled
 * examples and asks for the label of a query. A learner must infer S from the prompt — the
 * in-context form that GF(2) elimination solves from m ≥ n + O(1) examples (docs/papers.md §1, §2).
 *
 * Prompt layout (m + 1 rows, n + 1 columns):
 *
 *   row j < m : x_j ∈ {±1}^n, y_j ∈ {±1}
 *   row m     : x_q ∈ {±1}^n, 0            (the masked query label)
 *
 * and the target is y_q = Π_{i∈S} x_q,i.
 */
import { assertDraw, createRng, defineSchema, kAtMostN, resolveOptions } from '@learnability/core';
import type { OptionsOf, Rng, Task } from '@learnability/core';
import { parityOfRow } from './parity-sampling.js';
import type { ParitySamples } from './parity-sampling.js';
import { parityBatch } from './sparse-parity.js';

/** In-context parity's options: n bits per example, |S| = k for every prompt's subset, m examples per prompt (m + 1 rows). */
export const IN_CONTEXT_PARITY_SCHEMA = defineSchema(
  {
    n: { type: 'int', default: 10, min: 1, doc: 'bits per example' },
    k: { type: 'int', default: 3, min: 0, doc: 'parity degree |S|' },
    examples: { type: 'int', default: 20, min: 0, doc: 'labelled rows m per prompt' },
    noise: { type: 'number', default: 0, min: 0, max: 0.5, doc: 'label-flip probability of training prompts' },
  },
  [kAtMostN],
);

export type InContextParityOptions = OptionsOf<typeof IN_CONTEXT_PARITY_SCHEMA.fields>;

/**
 * In-context parity's config: options not given take their defaults. Noise flips each label
 * (context and target) with probability η; the test set is clean.
 */
export type InContextParityConfig = Partial<InContextParityOptions>;

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

/**
 * Draws `count` prompts: x (count · (m+1) · (n+1)) row-major, y (count). Per prompt the draws
 * are, in order: its subset (`rng.subset`), the (m+1)·n signs, then (when `noise` > 0) one
 * uniform per label, context labels first and the target last.
 */
export function sampleInContextParity(
  count: number,
  options: Omit<InContextParityOptions, 'noise'> & { noise?: number },
  rng: Rng,
): InContextParitySamples {
  assertDraw('in-context parity sampling', count, rng);
  // Exported, so plain JS may call it with examples −1 or n "3": checked as the task's options are.
  const { n, k, examples, noise } = resolveOptions('in-context-parity', IN_CONTEXT_PARITY_SCHEMA, options);
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

/** The in-context parity task. Throws `ConfigError` listing every invalid option. */
export function createInContextParityTask(config: InContextParityConfig = {}): InContextParityTask {
  const { n, k, examples, noise } = resolveOptions('in-context-parity', IN_CONTEXT_PARITY_SCHEMA, config);
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
