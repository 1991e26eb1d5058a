/**
 * Solves A z = b for a symmetric positive semi-definite n × n matrix A (row-major, float64) by
 * Gaussian elimination with partial pivoting, after adding λ = 1e-10 · (trace/n) to the diagonal:
 * a ridge far below float32 data noise that keeps singular Gram matrices (k < d, repeated
 * points) solvable and picks the minimum-norm solution in the limit. A and b are not modified.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const z = Float64Array.from(b);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += m[i * n + i] as number;
  const ridge = 1e-10 * (trace / n) + 1e-300;
  for (let i = 0; i < n; i++) m[i * n + i] = (m[i * n + i] as number) + ridge;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r * n + col] as number) > Math.abs(m[pivot * n + col] as number)) pivot = r;
    if (pivot !== col) {
      for (let j = 0; j < n; j++) {
        const t = m[col * n + j] as number;
        m[col * n + j] = m[pivot * n + j] as number;
        m[pivot * n + j] = t;
      }
      const t = z[col] as number;
      z[col] = z[pivot] as number;
      z[pivot] = t;
    }
    const diag = m[col * n + col] as number;
    for (let r = col + 1; r < n; r++) {
      const factor = (m[r * n + col] as number) / diag;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) m[r * n + j] = (m[r * n + j] as number) - factor * (m[col * n + j] as number);
      z[r] = (z[r] as number) - factor * (z[col] as number);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = z[r] as number;
    for (let j = r + 1; j < n; j++) s -= (m[r * n + j] as number) * (z[j] as number);
    z[r] = s / (m[r * n + r] as number);
  }
  return z;
}
