/**
 * Solving a parity system over GF(2): Four-Russians forward elimination (echelon.ts), then
 * back-substitution. Cost O(m · n · ⌈n/32⌉ / b) word operations for m rows and n unknowns
 * (b = bits per lookup table; b = 1 is textbook elimination's O(m·n·⌈n/32⌉)).
 */
import { LearnabilityError, showValue, unknownKeyMessage } from '@learnability/core';
import { echelonize, resolveEchelonOptions } from './echelon.js';
import type { EchelonOptions } from './echelon.js';
import type { Gf2Matrix } from './gf2-matrix.js';
import { wordsPerRow } from './gf2-matrix.js';
import type { Gf2Kernel } from './kernel.js';
import { resolveGf2Kernel } from './kernel-choice.js';
import type { Gf2KernelName } from './kernel-choice.js';

/** What `solveGf2` returns: the rank, whether the system is consistent, a solution and the pivots. */
export interface Gf2Solution {
  /** Rank of the coefficient columns 0..n−1. rank = n ⇔ the solution is unique. */
  rank: number;
  /** False when some row reduces to 0 = 1 (e.g. a flipped label): then `solution` satisfies only the pivot rows. */
  consistent: boolean;
  /** A solution s ∈ {0,1}^n with ⟨s, row⟩ = label for every row when consistent; free variables 0. */
  solution: Uint8Array;
  /** Pivot columns of the echelon form, increasing (length `rank`); the rest are free. */
  pivots: Int32Array;
}

/**
 * `solveGf2`'s tuning: the row-operation kernel and the Four-Russians lookup tables
 * (`bitsPerTable`, `tables`; defaults chosen by row count). They change the speed, not the answer;
 * out-of-range table settings throw a RangeError.
 */
export interface SolveGf2Options extends EchelonOptions {
  /** Row-operation kernel, by name or as an object. Default `auto` (WebAssembly SIMD where available, else plain JS). */
  kernel?: Gf2KernelName | Gf2Kernel;
}

const OPTION_KEYS: readonly string[] = ['kernel', 'bitsPerTable', 'tables'] satisfies (keyof SolveGf2Options)[];

/** `rows` must be a packed matrix and `options` an object of known keys: a typo (`bitsPerTabel`) was ignored. */
function checkSolveInput(rows: Gf2Matrix, options: SolveGf2Options): void {
  if (!(rows?.words instanceof Uint32Array) || !Number.isInteger(rows.rows) || !Number.isInteger(rows.stride))
    throw new LearnabilityError(
      'solveGf2: rows must be a packed GF(2) matrix (from packParitySamples, gf2FromBits or createGf2Matrix)',
    );
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new LearnabilityError(
      `solveGf2: options must be an object such as { kernel: 'js' }, but got ${JSON.stringify(options)}`,
    );
  for (const key of Object.keys(options))
    if (!OPTION_KEYS.includes(key)) throw new LearnabilityError(`solveGf2: ${unknownKeyMessage(key, OPTION_KEYS)}`);
}

/**
 * Solves the augmented system `rows` (columns 0..n−1 the coefficients, column n the right-hand
 * side) over GF(2). For parity samples packed with `packParitySamples`, a consistent full-rank
 * system's solution is the indicator of the hidden subset S. `rows` is not modified.
 */
export function solveGf2(rows: Gf2Matrix, n: number, options: SolveGf2Options = {}): Gf2Solution {
  checkSolveInput(rows, options);
  // Exactly: with more columns, column n (an unknown) would be read as the labels, without a word.
  if (!Number.isInteger(n) || n < 0 || rows.cols !== n + 1) {
    throw new RangeError(
      `solveGf2: rows must have n + 1 columns (n unknowns and the label column), but got n = ${showValue(n)}, cols = ${rows.cols}; pass the n the rows were packed with`,
    );
  }
  const kernel = resolveGf2Kernel(options.kernel);
  const m = rows.rows;
  const used = wordsPerRow(n + 1);
  const stride = (used + 3) & ~3; // 16-byte rows for SIMD kernels
  const { bitsPerTable, tables } = resolveEchelonOptions(m, options);
  const tableBase = m * stride;
  // + stride: a kernel may read one word past a row when reading bits that straddle words.
  const a = kernel.memory(tableBase + tables * (1 << bitsPerTable) * stride + stride);
  const lastMask = (n + 1) % 32 === 0 ? -1 : (1 << ((n + 1) % 32)) - 1;
  // Rows in, bits past column n and padding words cleared. The tables need no clearing: every
  // table word that is read is written first.
  for (let r = 0; r < m; r++) {
    const src = r * rows.stride;
    a.set(rows.words.subarray(src, src + used), r * stride);
    a[r * stride + used - 1] = (a[r * stride + used - 1] as number) & lastMask;
    a.fill(0, r * stride + used, (r + 1) * stride);
  }
  const { rank, pivots } = echelonize(kernel, m, stride, n, tableBase, { bitsPerTable, tables });

  const labelWord = n >>> 5;
  const labelBit = n & 31;
  let consistent = true;
  for (let r = rank; r < m && consistent; r++)
    if (((a[r * stride + labelWord] as number) >>> labelBit) & 1) consistent = false;

  // Back-substitution, last pivot first: s_p = label ⊕ ⟨row, s⟩ over the columns after p.
  const s = new Int32Array(stride);
  for (let t = rank - 1; t >= 0; t--) {
    const p = pivots[t] as number;
    const row = t * stride;
    let acc = 0;
    for (let w = p >>> 5; w < used; w++) acc ^= (a[row + w] as number) & (s[w] as number);
    const bit = (((a[row + labelWord] as number) >>> labelBit) & 1) ^ parity32(acc);
    if (bit) s[p >>> 5] = (s[p >>> 5] as number) | (1 << (p & 31));
  }
  const solution = new Uint8Array(n);
  for (let i = 0; i < n; i++) solution[i] = ((s[i >>> 5] as number) >>> (i & 31)) & 1;
  return { rank, consistent, solution, pivots };
}

/** Parity (XOR of all bits) of a 32-bit integer. */
export function parity32(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}
