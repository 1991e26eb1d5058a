/**
 * Tests only: plain-JS (float64) references for the kernels, and seeded inputs.
 */
import { createRng } from '@learnability/core';

/** `n` seeded N(0, 1) values. */
export function seededNormals(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  createRng(seed).normals(out);
  return out;
}

/** Seeded N(0, 1) values for a row-major tensor of `shape`. */
export const seededValues = (shape: readonly number[], seed: number): Float32Array =>
  seededNormals(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );

/**
 * op(A) · op(B) for row-major A (batch, ·, ·) and B (batch, ·, ·), op = transpose where flagged.
 * `batch` 1 covers rank 2. Returns (batch, M, N) row-major.
 */
export function referenceMatMul(
  a: ArrayLike<number>,
  aRows: number,
  aCols: number,
  b: ArrayLike<number>,
  bRows: number,
  bCols: number,
  batch: number,
  transposeA: boolean,
  transposeB: boolean,
): Float64Array {
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k)
    throw new Error(`referenceMatMul: inner sizes ${k} and ${transposeB ? bCols : bRows} differ`);
  const out = new Float64Array(batch * m * n);
  const at = (x: ArrayLike<number>, i: number): number => x[i] ?? Number.NaN;
  for (let p = 0; p < batch; p++) {
    const aOff = p * aRows * aCols;
    const bOff = p * bRows * bCols;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) {
          const av = at(a, aOff + (transposeA ? l * aCols + i : i * aCols + l));
          const bv = at(b, bOff + (transposeB ? j * bCols + l : l * bCols + j));
          s += av * bv;
        }
        out[p * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}
