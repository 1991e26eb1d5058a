/**
 * Binomials and Krawtchouk polynomials: the Fourier analysis of functions of the Hamming weight.
 * K_d(m; n) = Σ_j (−1)^j C(m, j) C(n − m, d − j) = Σ_{|S|=d} χ_S(x) for any x with m entries −1.
 */

/** C(n, k) exactly, as a BigInt (0 outside 0 ≤ k ≤ n). */
export function binomialBig(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k);
  let out = 1n;
  for (let j = 1; j <= kk; j++) out = (out * BigInt(n - kk + j)) / BigInt(j);
  return out;
}

/** C(n, k) as a double (exact up to 2^53, correctly rounded beyond). */
export function binomial(n: number, k: number): number {
  return Number(binomialBig(n, k));
}

/** K_d(m; n) exactly, as a BigInt. */
export function krawtchoukBig(d: number, m: number, n: number): bigint {
  let sum = 0n;
  for (let j = 0; j <= d; j++) {
    const term = binomialBig(m, j) * binomialBig(n - m, d - j);
    sum += j % 2 === 0 ? term : -term;
  }
  return sum;
}

/** K_d(m; n) as a double, for m = 0..n (a table of n + 1 values). Exact while |K| < 2^53. */
export function krawtchoukRow(d: number, n: number): Float64Array {
  const row = new Float64Array(n + 1);
  for (let m = 0; m <= n; m++) row[m] = Number(krawtchoukBig(d, m, n));
  return row;
}
