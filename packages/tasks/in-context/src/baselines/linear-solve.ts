/**
 * Solves A z = b for a symmetric positive semi-definite n × n matrix A (row-major, float64) by
 * Cholesky with diagonal pivoting, as LAPACK's dpstrf: each step pivots on the largest remaining
 * diagonal and stops once that is ≤ n·ε·(A's largest diagonal), which is A's numerical rank r. The r
 * pivoted unknowns are solved exactly; the rest are 0 (the columns of X that are zero, as the dims
 * curriculum leaves them, or a repeated example). A and b are not modified.
 *
 * No ridge: a ridge that keeps a singular Gram matrix solvable (1e-10 · trace/n, before) also
 * shrinks a well-posed but ill-conditioned one, and least squares at k = d missed the exact
 * solution by up to 1e-4 of the error scale, where it is exact.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a); // becomes L below the diagonal (and on it), in pivoted order
  const order = Array.from({ length: n }, (_, i) => i);
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, m[i * n + i] as number);
  const tolerance = n * Number.EPSILON * largest;
  const swap = (i: number, j: number) => {
    for (let c = 0; c < n; c++) {
      const t = m[i * n + c] as number;
      m[i * n + c] = m[j * n + c] as number;
      m[j * n + c] = t;
    }
    for (let r = 0; r < n; r++) {
      const t = m[r * n + i] as number;
      m[r * n + i] = m[r * n + j] as number;
      m[r * n + j] = t;
    }
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  };
  let rank = 0;
  for (let j = 0; j < n; j++) {
    let pivot = j;
    for (let p = j + 1; p < n; p++) if ((m[p * n + p] as number) > (m[pivot * n + pivot] as number)) pivot = p;
    if (!((m[pivot * n + pivot] as number) > tolerance)) break;
    if (pivot !== j) swap(j, pivot);
    const d = Math.sqrt(m[j * n + j] as number);
    m[j * n + j] = d;
    for (let i = j + 1; i < n; i++) m[i * n + j] = (m[i * n + j] as number) / d;
    // The trailing block, both triangles (a later swap moves rows and columns alike).
    for (let i = j + 1; i < n; i++)
      for (let c = j + 1; c < n; c++)
        m[i * n + c] = (m[i * n + c] as number) - (m[i * n + j] as number) * (m[c * n + j] as number);
    rank++;
  }
  // L Lᵀ y = (P b) over the first `rank` unknowns, forward then back.
  const y = new Float64Array(rank);
  for (let i = 0; i < rank; i++) {
    let s = b[order[i] as number] as number;
    for (let c = 0; c < i; c++) s -= (m[i * n + c] as number) * (y[c] as number);
    y[i] = s / (m[i * n + i] as number);
  }
  for (let i = rank - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let r = i + 1; r < rank; r++) s -= (m[r * n + i] as number) * (y[r] as number);
    y[i] = s / (m[i * n + i] as number);
  }
  const z = new Float64Array(n);
  for (let i = 0; i < rank; i++) z[order[i] as number] = y[i] as number;
  return z;
}
