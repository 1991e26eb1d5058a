/**
 * Exact sample complexity of GF(2) elimination on noiseless parity (docs/papers.md §1): m uniform
 * samples of {0,1}^n have rank n with probability Π_{i=m−n+1}^{m} (1 − 2^{−i}), and a
 * consistent solution of a rank-r system errs on a fresh input with probability (1 − 2^{r−n})/2.
 */

/**
 * P[m uniform samples of {0,1}^n have rank n] = Π_{i=m−n+1}^{m} (1 − 2^{−i}) for m ≥ n, else 0:
 * the probability that elimination learns every S exactly (a lower bound on learning a k-sparse S,
 * which a rank below n may still pin down: `consistentSolutionError` with k).
 * ≥ 1 − 2^{−(m−n)}; ≈ 0.2888 at m = n for large n (n = 1: 0.5). Only the 61 factors from
 * i = m − n + 1 are multiplied: the rest are each within 2^−62 of 1, and change the product by
 * less than 2^−61 together.
 */
export function eliminationSuccessProbability(m: number, n: number): number {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0) {
    throw new RangeError(
      `eliminationSuccessProbability: m and n must be non-negative integers, but got m = ${m}, n = ${n}`,
    );
  }
  if (m < n) return 0;
  let logP = 0;
  for (let i = m - n + 1; i <= Math.min(m, m - n + 61); i++) logP += Math.log1p(-(2 ** -i));
  return Math.exp(logP);
}

/**
 * Samples that make elimination succeed with probability ≥ 1 − δ: n + ⌈log2(1/δ)⌉
 * (from the bound 1 − 2^{−(m−n)}; the exact probability is a little higher).
 */
export function samplesForConfidence(n: number, delta: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`samplesForConfidence: n must be a non-negative integer, but got ${n}`);
  // δ = 1 asks for no confidence: n samples, which succeed with probability ≥ 0.
  if (!(delta > 0 && delta <= 1))
    throw new RangeError(`samplesForConfidence: delta must be in (0, 1], but got ${delta}`);
  return n + Math.ceil(Math.log2(1 / delta));
}

/**
 * Expected error on a fresh uniform input of the solution elimination returns (free variables 0,
 * as `solveGf2` and `createEliminationLearner` give it) from noiseless samples of rank r ≤ n. The
 * n − r free columns depend on the inputs alone, so they are independent of S; the solution is S
 * exactly when S has none of them, and any other errs on half the inputs:
 *
 * - S uniform over all subsets (no `k`): (1 − 2^{r−n})/2.
 * - S a uniform k-subset, as the parity task draws it: (1 − C(r, k)/C(n, k))/2, far lower for small
 *   k (n = 50, k = 3, r = 49: 0.03, against 0.25).
 *
 * 0 at r = n.
 */
export function consistentSolutionError(rank: number, n: number, k?: number): number {
  if (!Number.isInteger(rank) || !Number.isInteger(n) || rank < 0 || rank > n) {
    throw new RangeError(`consistentSolutionError: need integers 0 ≤ rank ≤ n, but got rank = ${rank}, n = ${n}`);
  }
  if (k === undefined) return (1 - 2 ** (rank - n)) / 2;
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new RangeError(`consistentSolutionError: need an integer 0 ≤ k ≤ n = ${n}, but got k = ${k}`);
  // C(r, k)/C(n, k) = Π_{i<k} (r − i)/(n − i): the chance that no free column is in S.
  let untouched = 1;
  for (let i = 0; i < k; i++) untouched *= (rank - i) / (n - i);
  return (1 - untouched) / 2;
}
