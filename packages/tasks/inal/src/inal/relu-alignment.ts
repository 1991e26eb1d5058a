/**
 * The exact INAL of one ReLU neuron σ(w·x + b) with Gaussian weights, against a degree-k parity:
 * the analytic check of the estimator, and the prediction its measurements are compared with.
 *
 * With w ~ N(0, I/n) and b ~ N(0, s²), for fixed inputs x, x′ ∈ {±1}^n the pre-activations are
 * jointly Gaussian with variance 1 + s² and covariance ρ + s², ρ = x·x′/n, so
 * E_{w,b}[σ(w·x + b) σ(w·x′ + b)] is the arc-cosine kernel (Cho & Saul 2009)
 *   κ(ρ) = (1 + s²)/(2π) · (sin θ + (π − θ) cos θ),   cos θ = (ρ + s²)/(1 + s²).
 * Then E_{w,b}[⟨χ_S, σ⟩²] = E_{x,x′}[χ_S(x)χ_S(x′) κ(ρ)], and grouping z = x⊙x′ by its number m
 * of −1 entries (Σ_{wt(z)=m} χ_S(z) = C(n,m) K_k(m)/C(n,k)) leaves a finite sum:
 *   E[c²] = 2^{−n} Σ_m C(n,m) K_k(m; n)/C(n,k) · κ(1 − 2m/n).
 * For odd k ≥ 3 and s = 0 it is exactly 0: ReLU(z) = z/2 + |z|/2 is linear plus even.
 */
import { binomial, krawtchoukBig } from '../krawtchouk.js';

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
 * biasVariance 0, 1/n or 1).
 */
export function reluParityAlignment(n: number, k: number, biasVariance: number): number {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`reluParityAlignment: need integers 0 ≤ k ≤ n, n ≥ 1, but got n = ${n}, k = ${k}`);
  }
  const total = 2 ** n;
  const cnk = binomial(n, k);
  let sum = 0;
  for (let m = 0; m <= n; m++) {
    sum += ((binomial(n, m) / total) * Number(krawtchoukBig(k, m, n)) / cnk) * reluKernel(1 - (2 * m) / n, biasVariance);
  }
  // Odd k ≥ 3 with zero bias: the terms cancel to rounding error (~1e-17); the exact value is 0.
  return sum;
}
