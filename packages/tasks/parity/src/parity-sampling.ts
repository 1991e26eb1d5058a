/**
 * Host-side sampling of parity examples (docs/papers.md §1): x uniform on {±1}^n, y = Π_{i∈S} x_i,
 * each label flipped with probability η. Plain arrays, no tensors: the tasks wrap these, and
 * non-network learners (GF(2) elimination) read them directly.
 */
import { assertDraw } from '@learnability/core';
import type { Rng } from '@learnability/core';

/**
 * `pm1`: x_i ∈ {−1, +1}. `01`: x_i ∈ {0, 1} with x01 = (1 − x±1)/2, so bit 1 ↔ −1 — the GF(2)
 * view in which y = Π x_i becomes (1 − y)/2 = ⊕ x01_i. Labels are ±1 in both encodings.
 */
export const PARITY_ENCODINGS = ['pm1', '01'] as const;
export type ParityEncoding = (typeof PARITY_ENCODINGS)[number];

/** Host arrays: x (count · n) row-major, y (count) in {−1, +1}. */
export interface ParitySamples {
  x: Float32Array;
  y: Float32Array;
}

/** y = Π_{i∈S} x_i for one ±1 row starting at `offset` of `x` (the parity of the −1 entries on S). */
export function parityOfRow(x: ArrayLike<number>, offset: number, subset: readonly number[]): number {
  let negatives = 0;
  for (const i of subset) if ((x[offset + i] as number) < 0) negatives++;
  return (negatives & 1) === 0 ? 1 : -1;
}

/** The ±1 row value of an encoded input: `pm1` as is, `01` mapped back by x±1 = 1 − 2·x01. */
export function toPm1(value: number, encoding: ParityEncoding): number {
  return encoding === 'pm1' ? value : 1 - 2 * value;
}

/** Host arrays with x as packed sign bits: x_j = +1 where bit j % 32 of words[j >> 5] is set. */
export interface PackedParitySamples {
  words: Uint32Array;
  y: Float32Array;
}

/**
 * Draws `count` examples as packed sign bits, into `out` when given (ceil(count·n / 32) words,
 * count labels; the replica sampler passes views of one batch-wide array), else into new arrays.
 * Order of draws (fixed, so streams are reproducible): ceil(count·n / 32) words for all x signs
 * first (what `rng.signs` takes for the same count), then one uniform per example only when
 * `noise` > 0.
 */
export function sampleParityWords(
  count: number,
  n: number,
  subset: ArrayLike<number>,
  noise: number,
  rng: Rng,
  out?: PackedParitySamples,
): PackedParitySamples {
  assertDraw('parity sampling', count, rng);
  const need = Math.ceil((count * n) / 32);
  const words = out?.words ?? new Uint32Array(need);
  const y = out?.y ?? new Float32Array(count);
  if (words.length < need || y.length < count)
    throw new RangeError(
      `sampleParityWords: out needs ${need} words and ${count} labels, but has ${words.length} and ${y.length}`,
    );
  for (let i = 0; i < need; i++) words[i] = rng.nextUint32();
  const k = subset.length;
  for (let row = 0; row < count; row++) {
    // y = Π x_i over S: −1 exactly when an odd number of S's bits are 0. (An indexed loop: for-of
    // over the task's frozen subset array was 14× slower, and this runs for every example.)
    let negatives = 0;
    for (let t = 0; t < k; t++) {
      const j = row * n + (subset[t] as number);
      negatives += 1 - (((words[j >>> 5] as number) >>> (j & 31)) & 1);
    }
    y[row] = (negatives & 1) === 0 ? 1 : -1;
  }
  if (noise > 0) for (let row = 0; row < count; row++) if (rng.uniform() < noise) y[row] = -(y[row] as number);
  return { words, y };
}

/** The ±1 (or, with `01`, {0, 1}) values of `length` packed signs. */
export function unpackSigns(words: Uint32Array, length: number, encoding: ParityEncoding = 'pm1'): Float32Array {
  const x = new Float32Array(length);
  // pm1: bit 1 → +1, 0 → −1; 01: x01 = (1 − x±1) / 2, so bit 1 → 0, 0 → 1.
  if (encoding === 'pm1')
    for (let j = 0; j < length; j++) x[j] = ((((words[j >>> 5] as number) >>> (j & 31)) & 1) << 1) - 1;
  else for (let j = 0; j < length; j++) x[j] = 1 - (((words[j >>> 5] as number) >>> (j & 31)) & 1);
  return x;
}

/**
 * Draws `count` examples: `sampleParityWords`, unpacked (so the two are the same draw by
 * construction; `rng.signs` would take the same words in the same order).
 */
export function sampleParity(
  count: number,
  n: number,
  subset: readonly number[],
  { noise = 0, encoding = 'pm1' }: { noise?: number; encoding?: ParityEncoding },
  rng: Rng,
): ParitySamples {
  const { words, y } = sampleParityWords(count, n, subset, noise, rng);
  return { x: unpackSigns(words, count * n, encoding), y };
}
