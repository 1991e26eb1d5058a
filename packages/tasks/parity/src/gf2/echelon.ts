/**
 * Forward GF(2) elimination with the Method of Four Russians (Arlazarov et al. 1970; the
 * M4RI library's `_mzd_echelonize_m4ri`, Albrecht & Bard): find up to `bitsPerTable · tables`
 * pivots in consecutive columns, reduce those pivot rows among themselves, tabulate all 2^b sums
 * of each group of b pivot rows, then clear the whole block of columns from every lower row
 * with one fused pass (one lookup per table). Per block that is ≈ tables · 2^b table rows plus
 * one pass per lower row, instead of one pass per (pivot, row): ~b · tables fewer row passes
 * than textbook elimination, every pass over only the words from the block's column onward.
 *
 * The result is row echelon form (rows below the rank are zero in the pivot-search columns),
 * which is all a solver needs: back-substitution reads the solution off in O(rank · stride).
 */
import type { Gf2Kernel } from './kernel.js';
import { readBits } from './kernel.js';

export interface EchelonOptions {
  /** Bits per lookup table (b, 1..8): each table has 2^b rows. Default `defaultBitsPerTable(rows)`. */
  bitsPerTable?: number;
  /** Lookup tables applied per pass (1..4); a block spans up to bitsPerTable · tables ≤ 32 columns. Default `defaultTables(rows)`. */
  tables?: number;
}

export interface EchelonResult {
  /** Rank of columns 0..pivotCols−1. */
  rank: number;
  /** Pivot column of echelon row t, increasing; length `rank`. */
  pivots: Int32Array;
}

/**
 * b = round(log2(rows)) − 5 in [3, 8], so the tables' 2^b rows stay small beside the lower rows
 * they serve. Tuned with `benchElimination` (WebAssembly SIMD kernel, 2-core x86-64): the best
 * b was 3–4 at n = 64–256, 4–5 at n = 1024 and 7 at n = 4096 (m = n + 20).
 */
export function defaultBitsPerTable(rows: number): number {
  return Math.max(3, Math.min(8, Math.round(Math.log2(Math.max(rows, 1))) - 5));
}

/** 2 tables per pass below 2048 rows, 4 from there on (measured as for `defaultBitsPerTable`). */
export function defaultTables(rows: number): number {
  return rows < 2048 ? 2 : 4;
}

/** The options with defaults filled in for `rows` rows; throws on values out of range. */
export function resolveEchelonOptions(rows: number, options: EchelonOptions): Required<EchelonOptions> {
  const { bitsPerTable = defaultBitsPerTable(rows), tables = defaultTables(rows) } = options;
  if (
    !(
      Number.isInteger(bitsPerTable) &&
      bitsPerTable >= 1 &&
      bitsPerTable <= 8 &&
      Number.isInteger(tables) &&
      tables >= 1 &&
      tables <= 4
    )
  ) {
    throw new RangeError(
      `echelonize: need integers bitsPerTable in [1, 8] and tables in [1, 4], but got ${bitsPerTable} and ${tables}`,
    );
  }
  return { bitsPerTable, tables };
}

/**
 * Reduces the m × stride matrix at word 0 of `kernel`'s memory to row echelon form over its
 * first `pivotCols` columns (the label column, if any, is carried along but never a pivot).
 * Tables live at word `tableBase` (room for `tables · 2^bitsPerTable` rows of `stride` words).
 * `stride` must be a multiple of 4 words.
 */
export function echelonize(
  kernel: Gf2Kernel,
  m: number,
  stride: number,
  pivotCols: number,
  tableBase: number,
  options: EchelonOptions = {},
): EchelonResult {
  const { bitsPerTable, tables } = resolveEchelonOptions(m, options);
  const blockMax = Math.min(32, bitsPerTable * tables);
  const pivots = new Int32Array(Math.min(m, pivotCols));
  const pm = new Int32Array(32); // block bits of the block's pivot rows
  const a = kernel.view();
  let r = 0;
  let c = 0;
  while (c < pivotCols && r < m) {
    const width = Math.min(blockMax, pivotCols - c);
    const from = (c >>> 5) & ~3; // all rows ≥ r are zero before column c; aligned for SIMD
    let len = 0;
    // Pivot search: column c + len needs a row (below the block's pivots) whose bit there,
    // after clearing the block bits of earlier pivots, is 1.
    for (; len < width; len++) {
      let found = -1;
      let v = 0;
      for (let i = r + len; i < m; i++) {
        v = readBits(a, i * stride, c, width);
        for (let t = 0; t < len; t++) if ((v >>> t) & 1) v ^= pm[t] as number;
        if ((v >>> len) & 1) {
          found = i;
          break;
        }
      }
      if (found < 0) break; // column c + len has no pivot: end the block here
      const p = r + len;
      v = readBits(a, found * stride, c, width);
      for (let t = 0; t < len; t++) {
        if ((v >>> t) & 1) {
          kernel.xorRow(found * stride, (r + t) * stride, from, stride);
          v ^= pm[t] as number;
        }
      }
      if (found !== p) swapRows(a, found * stride, p * stride, from, stride);
      // Keep the block's pivot rows reduced among themselves (bit t only in pivot row t).
      for (let t = 0; t < len; t++) {
        if (((pm[t] as number) >>> len) & 1) {
          kernel.xorRow((r + t) * stride, p * stride, from, stride);
          pm[t] = (pm[t] as number) ^ v;
        }
      }
      pm[len] = v;
      pivots[p] = c + len;
    }
    if (len === 0) {
      c++;
      continue;
    }
    const groups = Math.ceil(len / bitsPerTable);
    const size = 1 << bitsPerTable;
    for (let g = 0; g < groups; g++) {
      const base = tableBase + g * size * stride;
      const bits = Math.min(bitsPerTable, len - g * bitsPerTable);
      a.fill(0, base + from, base + stride);
      // Entry e = entry e without its lowest bit, plus that bit's pivot row: one row XOR each.
      for (let e = 1; e < 1 << bits; e++) {
        const low = 31 - Math.clz32(e & -e);
        kernel.xorInto(
          base + e * stride,
          base + (e & (e - 1)) * stride,
          (r + g * bitsPerTable + low) * stride,
          from,
          stride,
        );
      }
    }
    kernel.applyTables(r + len, m, stride, c, len, bitsPerTable, tableBase, from, stride);
    r += len;
    c += len;
  }
  return { rank: r, pivots: pivots.slice(0, r) };
}

function swapRows(a: Int32Array, x: number, y: number, from: number, to: number): void {
  for (let w = from; w < to; w++) {
    const t = a[x + w] as number;
    a[x + w] = a[y + w] as number;
    a[y + w] = t;
  }
}
