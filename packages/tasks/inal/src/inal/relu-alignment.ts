/**
 * The exact INAL of one ReLU neuron σ(w·x + b) with Gaussian weights, against a degree-k parity:
 * the analytic check of the estimator, and the prediction its measurements are compared with.
 *
 * With w ~ N(0, I/n) and b ~ N(0, s²), for fixed inputs x, x′ ∈ {±1}^n the pre-activations are
 * jointly Gaussian with variance 1 + s² and covariance ρ + s², ρ = x·x′/n, so
 * E_{w,b}[σ(w·x + b) σ(w·x′ + b)] is the arc-cosine kernel (Cho & Saul 2009)
 *   κ(ρ) = (1 + s²)/(2π) · (sin θ + (π − θ) cos θ),   cos θ = (ρ + s²)/(1 + s²).
 * Then E_{w,b}[⟨χ_S, σ⟩²] = E_{x,x′}[χ_S(x)χ_S(x′) κ(ρ)], and grouping z = x⊙x′ by its number m
 * of −1 entries (Σ_{wt(z)=m} χ_S(z) = C(n,m) K_k(m)/C(n,k) = K_m(k), Krawtchouk symmetry) leaves
 * a finite sum with integer weights:
 *   E[c²] = 2^{−n} Σ_m K_m(k; n) · κ(1 − 2m/n).
 * The terms are of order C(n, m)/2^n and cancel down to E[c²], which is ~ n^−k for small k and
 * ~ 10^−24 at k = n = 64: float64 cannot hold that, so the sum runs in BigInt fixed point
 * (fixed-point.ts) with the precision doubled until the rounding bound is below 1e-9 of the result.
 * For odd k ≥ 3 and s = 0 it is exactly 0: ReLU(z) = z/2 + |z|/2 is linear plus even.
 */
import { showValue } from '@learnability/core';
import { bigToNumber, createFixedPoint } from './fixed-point.js';
import type { FixedPoint } from './fixed-point.js';

/** The arc-cosine kernel of ReLU for unit-variance weights and bias variance s². */
export function reluKernel(rho: number, biasVariance: number): number {
  const v = 1 + biasVariance;
  const cos = Math.max(-1, Math.min(1, (rho + biasVariance) / v));
  const theta = Math.acos(cos);
  return (v / (2 * Math.PI)) * (Math.sin(theta) + (Math.PI - theta) * cos);
}

/**
 * E_{w,b}[⟨χ_S, ReLU(w·x + b)⟩²] for |S| = k, w ~ N(0, I/n), b ~ N(0, biasVariance), exact over
 * x ∈ {±1}^n (the dense model's standard first layer; bias `zero`, `fan-in` or `unit` is
 * biasVariance 0, 1/n or 1). Relative error below 1e-9 for any n (n = 4,096 takes about a second);
 * a value below float64's range (~1e-308) comes back as 0.
 */
export function reluParityAlignment(n: number, k: number, biasVariance: number): number {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(
      `reluParityAlignment: need integers 0 ≤ k ≤ n, n ≥ 1, but got n = ${showValue(n)}, k = ${showValue(k)}`,
    );
  }
  if (!(biasVariance >= 0) || !Number.isFinite(biasVariance)) {
    throw new RangeError(`reluParityAlignment: biasVariance must be a finite number ≥ 0, but got ${biasVariance}`);
  }
  if (k >= 3 && k % 2 === 1 && biasVariance === 0) return 0;
  const weights = krawtchoukColumn(k, n);
  // Σ_m |K_m(k)|: the size of the terms the rounding errors scale with.
  const mass = weights.reduce((a, w) => a + (w < 0n ? -w : w), 0n);
  const maxBits = 1200;
  for (let bits = 128; ; bits = Math.min(2 * bits, maxBits)) {
    const fx = createFixedPoint(bits);
    const s2 = fx.fromNumber(biasVariance);
    const v = fx.one + s2;
    let sum = 0n;
    for (let m = 0; m <= n; m++) {
      const rho = fx.ratio(BigInt(n - 2 * m), BigInt(n));
      sum += (weights[m] as bigint) * arcCosineKernel(fx, rho, s2, v);
    }
    // Each kernel value is within 2^−(bits−24) (generous: ≤ 2^15 ulps from the angle halvings and
    // the series, fixed-point.ts); accept when that bound is below 2^−30 of the sum.
    const size = sum < 0n ? -sum : sum;
    if (size >= mass << 54n) return bigToNumber(sum, n + bits);
    // Not accepted at 1,200 bits: |E[c²]| < 2^(54−1200) (mass ≤ 2^n), below float64's range.
    if (bits === maxBits) return 0;
  }
}

/** κ(ρ) in fixed point: (v/2π)(sin θ + (π − θ) cos θ), cos θ = (ρ + s²)/v, v = 1 + s². */
function arcCosineKernel(fx: FixedPoint, rho: bigint, s2: bigint, v: bigint): bigint {
  let cos = fx.div(rho + s2, v);
  if (cos > fx.one) cos = fx.one;
  if (cos < -fx.one) cos = -fx.one;
  const theta = fx.acos(cos);
  const sin = fx.sqrt(fx.one - fx.mul(cos, cos));
  return fx.div(fx.mul(v, sin + fx.mul(fx.pi - theta, cos)), 2n * fx.pi);
}

/** K_m(k; n) for m = 0..n, exactly, by the three-term recurrence (m+1)K_{m+1} = (n − 2k)K_m − (n − m + 1)K_{m−1}. */
export function krawtchoukColumn(k: number, n: number): bigint[] {
  const out: bigint[] = [1n];
  if (n >= 1) out.push(BigInt(n - 2 * k));
  for (let m = 1; m < n; m++) {
    const next = (BigInt(n - 2 * k) * (out[m] as bigint) - BigInt(n - m + 1) * (out[m - 1] as bigint)) / BigInt(m + 1);
    out.push(next);
  }
  return out;
}
