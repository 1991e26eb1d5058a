/**
 * Host-side sampling of parity examples (PAPERS.md §1): x uniform on {±1}^n, y = Π_{i∈S} x_i,
 * each label flipped with probability η. Plain arrays, no tensors: the tasks wrap these, and
 * non-network learners (GF(2) elimination) read them directly.
 */
import type { Rng } from '@learnability/core';

/**
 * `pm1`: x_i ∈ {−1, +1}. `01`: x_i ∈ {0, 1} with x01 = (1 − x±1)/2, so bit 1 ↔ −1 — the GF(2)
 * view in which y = Π x_i becomes (1 − y)/2 = ⊕ x01_i. Labels are ±1 in both encodings.
 */
export type ParityEncoding = 'pm1' | '01';

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

/**
 * Draws `count` examples. Order of draws (fixed, so streams are reproducible): all x signs
 * first (32 per generator call), then one uniform per example only when `noise` > 0.
 */
export function sampleParity(
  count: number,
  n: number,
  subset: readonly number[],
  { noise = 0, encoding = 'pm1' }: { noise?: number; encoding?: ParityEncoding },
  rng: Rng,
): ParitySamples {
  const x = new Float32Array(count * n);
  const y = new Float32Array(count);
  rng.signs(x);
  for (let row = 0; row < count; row++) y[row] = parityOfRow(x, row * n, subset);
  if (noise > 0) for (let row = 0; row < count; row++) if (rng.uniform() < noise) y[row] = -(y[row] as number);
  if (encoding === '01') for (let i = 0; i < x.length; i++) x[i] = (1 - (x[i] as number)) / 2;
  return { x, y };
}
