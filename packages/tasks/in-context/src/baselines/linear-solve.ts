/**
 * The minimum-norm solution z = A⁺b for a symmetric positive semi-definite n × n matrix A
 * (row-major, float64), by Cholesky with diagonal pivoting, as LAPACK's dpstrf: each step pivots on
 * the largest remaining diagonal and stops once that is ≤ n·ε·(A's largest diagonal), A's numerical
 * rank r, giving A = G Gᵀ with G = P·L (n × r). Of full rank, z = A⁻¹b by the triangular solves;
 * of rank r < n (a coordinate no example sets, as the dims curriculum leaves them; a repeated
 * example), z = G (GᵀG)⁻² Gᵀ b, which is A⁺b whether or not b is in A's range. A NaN or infinite
 * entry gives NaN. A and b are not modified.
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
  if (!Number.isFinite(largest) || !b.every(Number.isFinite)) return new Float64Array(n).fill(Number.NaN);
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
  const z = new Float64Array(n);
  if (rank === n) {
    // L Lᵀ (Pᵀz) = Pᵀb: forward, then back.
    const y = Float64Array.from(order, (o) => b[o] as number);
    forward(m, n, y);
    backward(m, n, y);
    for (let i = 0; i < n; i++) z[order[i] as number] = y[i] as number;
    return z;
  }
  // G = P·L, its first `rank` columns: z = G M⁻² Gᵀb with M = GᵀG = LᵀL (rank × rank, of full rank).
  const g = (row: number, col: number) => (row >= col ? (m[row * n + col] as number) : 0); // L, pivoted order
  const c = new Float64Array(rank);
  for (let j = 0; j < rank; j++)
    for (let i = j; i < n; i++) c[j] = (c[j] as number) + g(i, j) * (b[order[i] as number] as number);
  const gram = new Float64Array(rank * rank);
  for (let a = 0; a < rank; a++)
    for (let e = 0; e < rank; e++) {
      let sum = 0;
      for (let i = Math.max(a, e); i < n; i++) sum += g(i, a) * g(i, e);
      gram[a * rank + e] = sum;
    }
  // M is of full rank: each solve takes the triangular path above.
  const v = solveSymmetric(gram, solveSymmetric(gram, c, rank), rank);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j <= Math.min(i, rank - 1); j++) sum += g(i, j) * (v[j] as number);
    z[order[i] as number] = sum;
  }
  return z;
}

/** y ← L⁻¹y for the lower triangle L of the row-major n × n `m`. */
function forward(m: Float64Array, n: number, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = y[i] as number;
    for (let c = 0; c < i; c++) s -= (m[i * n + c] as number) * (y[c] as number);
    y[i] = s / (m[i * n + i] as number);
  }
}

/** y ← L⁻ᵀy, the same triangle. */
function backward(m: Float64Array, n: number, y: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let r = i + 1; r < n; r++) s -= (m[r * n + i] as number) * (y[r] as number);
    y[i] = s / (m[i * n + i] as number);
  }
}
