/**
 * Bit-packed matrices over GF(2): row r, column c is bit (c & 31) of word `r · stride + (c >>> 5)`.
 * A parity system packs as an augmented matrix, columns 0..n−1 for the bits of x and column n
 * for the label, in the 0/1 view of docs/papers.md §1: bit = (1 − x)/2, label bit = (1 − y)/2, so
 * y = Π_{i∈S} x_i ⇔ label bit = ⊕_{i∈S} x bits.
 */
import { LearnabilityError } from '@learnability/core';
import { PARITY_ENCODINGS } from '../parity-sampling.js';
import type { ParityEncoding } from '../parity-sampling.js';

export interface Gf2Matrix {
  readonly rows: number;
  /** Bit columns in use (n + 1 for an augmented parity system). */
  readonly cols: number;
  /** 32-bit words per row, ≥ ⌈cols / 32⌉. */
  readonly stride: number;
  /** rows · stride words; bits at columns ≥ cols are zero. */
  readonly words: Uint32Array;
}

/** 32-bit words a row of `cols` bits needs. */
export function wordsPerRow(cols: number): number {
  return Math.ceil(cols / 32);
}

/** An all-zero rows × cols matrix. */
export function createGf2Matrix(rows: number, cols: number): Gf2Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`createGf2Matrix: rows and cols must be non-negative integers, but got ${rows} × ${cols}`);
  }
  const stride = wordsPerRow(cols);
  return { rows, cols, stride, words: new Uint32Array(rows * stride) };
}

/** Bit (row, col) as 0 or 1. */
export function gf2Get(matrix: Gf2Matrix, row: number, col: number): number {
  return ((matrix.words[row * matrix.stride + (col >>> 5)] as number) >>> (col & 31)) & 1;
}

/** Sets bit (row, col) to `bit` (0 or 1). */
export function gf2Set(matrix: Gf2Matrix, row: number, col: number, bit: number): void {
  const at = row * matrix.stride + (col >>> 5);
  const mask = 1 << (col & 31);
  const word = matrix.words[at] as number;
  matrix.words[at] = bit ? word | mask : word & ~mask;
}

/**
 * Packs rows of 0/1 values (each row `cols` long) into a matrix. Any other value is refused: a
 * ±1 row read as bits would be all ones (`packParitySamples` packs ±1 samples).
 */
export function gf2FromBits(rows: readonly ArrayLike<number>[], cols: number): Gf2Matrix {
  const matrix = createGf2Matrix(rows.length, cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new RangeError(`gf2FromBits: row ${r} has ${row.length} entries, expected ${cols}`);
    for (let c = 0; c < cols; c++) {
      const bit = row[c];
      if (bit !== 0 && bit !== 1)
        throw new RangeError(
          `gf2FromBits: row ${r}, column ${c} is ${bit}, expected 0 or 1 (for ±1 samples use packParitySamples)`,
        );
      if (bit === 1) gf2Set(matrix, r, c, 1);
    }
  });
  return matrix;
}

/** Row `row` as an array of 0/1 values. */
export function gf2RowBits(matrix: Gf2Matrix, row: number): Uint8Array {
  const bits = new Uint8Array(matrix.cols);
  for (let c = 0; c < matrix.cols; c++) bits[c] = gf2Get(matrix, row, c);
  return bits;
}

/** The GF(2) bit of an encoded input value: `pm1` −1 → 1, +1 → 0; `01` as is. */
export function inputBit(value: number, encoding: ParityEncoding): number {
  return encoding === 'pm1' ? (value < 0 ? 1 : 0) : value > 0.5 ? 1 : 0;
}

/** Writes one example (x row `offset`.. of `x`, label y) as packed words into `out` at `at`. */
export function packExample(
  x: ArrayLike<number>,
  offset: number,
  n: number,
  y: number,
  encoding: ParityEncoding,
  out: Uint32Array | Int32Array,
  at: number,
): void {
  // Checked, not rounded: 0/1 values read as ±1 (or the reverse) make a system of other equations,
  // which elimination solves without complaint, to a wrong parity.
  if (y !== 1 && y !== -1)
    throw new LearnabilityError(
      `parity sample ${offset / n}: the label is ${y}, but labels are ±1; map 0/1 labels with y = 1 − 2·bit`,
    );
  let word = 0;
  for (let c = 0; c < n; c++) {
    const v = x[offset + c] as number;
    if (encoding === 'pm1' ? v !== 1 && v !== -1 : v !== 0 && v !== 1)
      throw new LearnabilityError(
        `parity sample ${offset / n}: x[${c}] = ${v}, but the '${encoding}' encoding takes ${encoding === 'pm1' ? "±1 (pass encoding: '01' for 0/1 inputs)" : "0 or 1 (pass encoding: 'pm1' for ±1 inputs)"}`,
      );
    word |= inputBit(v, encoding) << (c & 31);
    if ((c & 31) === 31) {
      out[at + (c >>> 5)] = word;
      word = 0;
    }
  }
  // The label bit goes to column n, after the last (partial) word of x bits.
  if (y < 0) word |= 1 << (n & 31);
  out[at + (n >>> 5)] = word;
}

/**
 * Packs parity examples — x (count · n) row-major, y (count) ±1 — into the augmented
 * count × (n + 1) matrix, bit = (1 − x)/2 and label bit = (1 − y)/2.
 */
export function packParitySamples(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  encoding: ParityEncoding = 'pm1',
): Gf2Matrix {
  // Any other string read as '01' (inputBit's else): 'binary' packed ±1 data as if 0/1.
  if (!(PARITY_ENCODINGS as readonly string[]).includes(encoding))
    throw new LearnabilityError(
      `packParitySamples: encoding must be one of ${PARITY_ENCODINGS.map((e) => `'${e}'`).join(', ')}, but got ${JSON.stringify(encoding)}`,
    );
  if (!Number.isInteger(n) || n < 0)
    throw new LearnabilityError(`packParitySamples: n must be an integer ≥ 0, but got ${n}`);
  if (x?.length === undefined || y?.length === undefined)
    throw new LearnabilityError('packParitySamples: x and y must be arrays (x: count · n inputs, y: count labels ±1)');
  if (x.length !== y.length * n) {
    throw new RangeError(`packParitySamples: x has ${x.length} entries, expected y.length · n = ${y.length} · ${n}`);
  }
  const matrix = createGf2Matrix(y.length, n + 1);
  for (let r = 0; r < y.length; r++)
    packExample(x, r * n, n, y[r] as number, encoding, matrix.words, r * matrix.stride);
  return matrix;
}
