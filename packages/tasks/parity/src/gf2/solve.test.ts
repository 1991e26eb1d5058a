import { createRng } from '@learnability/core';
import type { Rng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { sampleParity } from '../parity-sampling.js';
import { gf2FromBits, packParitySamples } from './gf2-matrix.js';
import { solveGf2 } from './solve.js';

/** Textbook elimination over arrays of bits: rank of columns 0..n−1 and consistency. */
function referenceEliminate(rows: number[][], n: number): { rank: number; consistent: boolean } {
  const a = rows.map((r) => [...r]);
  let rank = 0;
  for (let c = 0; c < n && rank < a.length; c++) {
    const p = a.findIndex((row, i) => i >= rank && row[c] === 1);
    if (p < 0) continue;
    [a[rank], a[p]] = [a[p] as number[], a[rank] as number[]];
    const pivot = a[rank] as number[];
    for (const row of a)
      if (row !== pivot && row[c] === 1)
        for (let j = 0; j <= n; j++) row[j] = (row[j] as number) ^ (pivot[j] as number);
    rank++;
  }
  return { rank, consistent: a.slice(rank).every((row) => row[n] === 0) };
}

/** m rows over n columns drawn from a random `dim`-dimensional space; labels planted or random. */
function lowRankSystem(rng: Rng, m: number, n: number, dim: number, planted: boolean): number[][] {
  const basis = Array.from({ length: dim }, () => Array.from({ length: n }, () => rng.int(2)));
  const secret = Array.from({ length: n }, () => rng.int(2));
  return Array.from({ length: m }, () => {
    const row = new Array<number>(n).fill(0);
    for (const b of basis) if (rng.int(2)) for (let j = 0; j < n; j++) row[j] = (row[j] as number) ^ (b[j] as number);
    const label = planted ? row.reduce((acc, v, j) => acc ^ (v & (secret[j] as number)), 0) : rng.int(2);
    return [...row, label];
  });
}

function satisfiesEveryRow(rows: number[][], n: number, s: Uint8Array): boolean {
  return rows.every((row) => row.slice(0, n).reduce((acc, v, j) => acc ^ (v & (s[j] as number)), 0) === row[n]);
}

describe('solveGf2', () => {
  it('recovers a planted subset exactly: n = 1024 from n + 20 samples (full rank w.p. ≥ 1 − 2^−20)', () => {
    const n = 1024;
    const subset = createRng(1).subset(n, 37);
    const { x, y } = sampleParity(n + 20, n, subset, {}, createRng(2));
    const result = solveGf2(packParitySamples(x, y, n), n);
    expect(result.rank).toBe(n);
    expect(result.consistent).toBe(true);
    const found = [...result.solution.keys()].filter((i) => result.solution[i] === 1);
    expect(found).toEqual(subset);
  });

  it('reads the 01 encoding the same way (bit 1 ↔ −1)', () => {
    const n = 70;
    const subset = createRng(3).subset(n, 5);
    const pm1 = sampleParity(n + 20, n, subset, {}, createRng(4));
    const zo = sampleParity(n + 20, n, subset, { encoding: '01' }, createRng(4));
    const a = solveGf2(packParitySamples(pm1.x, pm1.y, n), n);
    const b = solveGf2(packParitySamples(zo.x, zo.y, n, '01'), n);
    expect(Array.from(b.solution)).toEqual(Array.from(a.solution));
    expect(subset.every((i) => a.solution[i] === 1)).toBe(true);
  });

  it('matches a plain-JS reference on rank and consistency, and solves every consistent row (random shapes and table settings)', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(140);
      const m = rng.int(160);
      const dim = rng.int(Math.min(n, 130) + 1);
      const planted = rng.int(4) !== 0;
      const rows = lowRankSystem(rng, m, n, dim, planted);
      const options = { bitsPerTable: 1 + rng.int(8), tables: 1 + rng.int(4) };
      const result = solveGf2(gf2FromBits(rows, n + 1), n, options);
      const expected = referenceEliminate(rows, n);
      const what = `trial ${trial}: m=${m} n=${n} dim=${dim} ${JSON.stringify(options)}`;
      expect(result.rank, what).toBe(expected.rank);
      expect(result.consistent, what).toBe(expected.consistent);
      expect(result.pivots.length, what).toBe(result.rank);
      if (planted) expect(result.consistent, what).toBe(true);
      if (result.consistent) expect(satisfiesEveryRow(rows, n, result.solution), what).toBe(true);
    }
  });

  it('works when columns are free in the middle of a block and when n is a multiple of 32', () => {
    const rng = createRng(6);
    for (const n of [31, 32, 63, 64, 96]) {
      // Column 5 and 40 never appear: free variables, set to 0.
      const rows = lowRankSystem(rng, n + 10, n, n, true).map((row) =>
        row.map((v, j) => (j === 5 || j === 40 ? 0 : v)),
      );
      const fixed = rows.map((row) => [...row.slice(0, n), 0]);
      const result = solveGf2(gf2FromBits(fixed, n + 1), n);
      expect(result.rank).toBe(referenceEliminate(fixed, n).rank);
      expect(result.solution[5]).toBe(0);
      expect(satisfiesEveryRow(fixed, n, result.solution)).toBe(true);
    }
  });

  it('does not modify its input and handles empty systems', () => {
    const rows = gf2FromBits(
      [
        [1, 0, 1],
        [1, 1, 0],
      ],
      3,
    );
    const before = Array.from(rows.words);
    const result = solveGf2(rows, 2);
    expect(Array.from(rows.words)).toEqual(before);
    expect(Array.from(result.solution)).toEqual([1, 1]);
    const empty = solveGf2(gf2FromBits([], 5), 4);
    expect(empty.rank).toBe(0);
    expect(empty.consistent).toBe(true);
  });
});

describe('solveGf2 options', () => {
  it('rejects table settings out of range before allocating', () => {
    const rows = gf2FromBits([[1, 0, 1]], 3);
    expect(() => solveGf2(rows, 2, { bitsPerTable: 30 })).toThrow(/bitsPerTable in \[1, 8\]/);
    expect(() => solveGf2(rows, 2, { tables: 5 })).toThrow(/tables in \[1, 4\]/);
    expect(() => solveGf2(rows, 3)).toThrow(
      'solveGf2: rows must have n + 1 columns (n unknowns and the label column), but got n = 3, cols = 3; pass the n the rows were packed with',
    );
    // Wider rows: column n, an unknown, was read as the labels.
    expect(() => solveGf2(gf2FromBits([[1, 0, 1, 1, 0]], 5), 2)).toThrow('but got n = 2, cols = 5');
    expect(() => solveGf2(rows, 2, { kernel: null as never })).toThrow(
      'resolveGf2Kernel: unknown kernel "null"; use auto, js or wasm-simd',
    );
  });

  it('refuses an option it does not know (a typo was ignored), options that are no object, and rows that are no matrix', () => {
    const rows = gf2FromBits([[1, 0, 1]], 3);
    expect(() => solveGf2(rows, 2, { bitsPerTabel: 3 } as never)).toThrow(
      /^solveGf2: unknown option "bitsPerTabel"; did you mean "bitsPerTable"\? known: kernel, bitsPerTable, tables$/,
    );
    expect(() => solveGf2(rows, 2, 5 as never)).toThrow(
      "solveGf2: options must be an object such as { kernel: 'js' }, but got 5",
    );
    expect(() => solveGf2([[1, 0, 1]] as never, 2)).toThrow(
      'solveGf2: rows must be a packed GF(2) matrix (from packParitySamples, gf2FromBits or createGf2Matrix)',
    );
  });

  it('gives the same answer with the js and wasm-simd kernels and every table setting', () => {
    const n = 150;
    const subset = createRng(8).subset(n, 11);
    const { x, y } = sampleParity(n + 5, n, subset, {}, createRng(9));
    const rows = packParitySamples(x, y, n);
    const expected = solveGf2(rows, n, { kernel: 'js', bitsPerTable: 1, tables: 1 });
    for (const kernel of ['js', 'wasm-simd'] as const) {
      for (const bitsPerTable of [1, 2, 5, 8]) {
        for (const tables of [1, 2, 3, 4]) {
          const got = solveGf2(rows, n, { kernel, bitsPerTable, tables });
          expect(got.rank).toBe(expected.rank);
          expect(Array.from(got.solution)).toEqual(Array.from(expected.solution));
        }
      }
    }
  });
});
