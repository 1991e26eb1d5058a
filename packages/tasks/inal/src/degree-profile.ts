/**
 * The degree profile W^{=d}[f] = Σ_{|S|=d} f̂(S)² of a target (Parseval: Σ_d W^{=d} = 1).
 * Low INAL ⇔ negligible weight on every low degree (Abbe et al. 2022; docs/papers.md §3).
 *
 * Exact when possible: a symmetric function of k relevant bits by its Krawtchouk expansion
 * (exact integers, any k); any other function of ≤ `maxExactBits` relevant bits by the fast
 * Walsh–Hadamard transform of its truth table. Otherwise sampled: for independent x, x′,
 * E[f(x) f(x′) K_d(dist(x, x′))] = W^{=d}, because Σ_{|S|=d} χ_S(x)χ_S(x′) = K_d(#{i: x_i ≠ x′_i}).
 * The estimate averages that over all pairs of N samples (an unbiased U-statistic).
 */
import { LearnabilityError, assertInt, createRng, unknownKeyMessage } from '@learnability/core';
import type { BooleanTarget } from './boolean-target.js';
import { MAX_TABLE_BITS, truthTable } from './boolean-target.js';
import { bigToNumber } from './inal/fixed-point.js';
import { binomialBig, krawtchoukRow } from './krawtchouk.js';
import { fourierCoefficients, popcount, weightByDegree } from './walsh-hadamard.js';

/** `degreeProfile`'s options. Any other key, or a value that is not a whole number in range, throws. */
export interface DegreeProfileOptions {
  /** Use a truth table when the target has at most this many relevant bits (or n, when unknown). Default 20. */
  maxExactBits?: number;
  /** Sampled profiles estimate degrees 0..maxDegree. Default 3. */
  maxDegree?: number;
  /** Sampled profiles draw this many inputs (cost ∝ samples²). Default 4096. */
  samples?: number;
  /** Seed of the sampled inputs. Default 0. */
  seed?: number;
}

/**
 * What `degreeProfile` returns: a target's Fourier weight by degree,
 * W^{=d}[f] = Σ_{|S|=d} f̂(S)², exact for every degree or, sampled, for the low degrees only, with
 * standard errors.
 */
export interface DegreeProfile {
  method: 'exact' | 'sampled';
  /** W^{=d} for d = 0..n (exact) or d = 0..maxDegree (sampled). */
  weights: number[];
  /** Standard errors of the sampled weights (first-order U-statistic variance); null when exact. */
  stderr: number[] | null;
  /** Weight above the last listed degree, 1 − Σ weights (0 when exact). */
  rest: number;
}

/** a / b for non-negative BigInts as a double, without overflow for numbers of any size. */
function bigRatio(a: bigint, b: bigint): number {
  const top = (v: bigint) => Math.max(0, v.toString(2).length - 62);
  const sa = top(a);
  const sb = top(b);
  return (Number(a >> BigInt(sa)) / Number(b >> BigInt(sb))) * 2 ** (sa - sb);
}

/**
 * W^{=d} of a symmetric function g of k bits, d = 0..k: (Σ_m g(m) C(k,m) K_d(m; k))² / (4^k C(k,d)),
 * in exact integers; K_d by the three-term recurrence (d+1) K_{d+1} = (k − 2m) K_d − (k − d + 1) K_{d−1}.
 */
export function symmetricWeights(g: readonly number[]): number[] {
  const k = g.length - 1;
  const weighted: bigint[] = []; // g(m) C(k, m)
  let binom = 1n;
  for (let m = 0; m <= k; m++) {
    weighted.push(BigInt(g[m] as number) * binom);
    binom = (binom * BigInt(k - m)) / BigInt(m + 1);
  }
  const fourK = 1n << BigInt(2 * k);
  let previous: bigint[] = [];
  let current = weighted.map(() => 1n); // K_0
  const weights: number[] = [];
  let cKd = 1n; // C(k, d)
  for (let d = 0; d <= k; d++) {
    let a = 0n;
    for (let m = 0; m <= k; m++) a += (weighted[m] as bigint) * (current[m] as bigint);
    weights.push(bigRatio(a * a, fourK * cKd));
    const next = current.map(
      (kd, m) =>
        (BigInt(k - 2 * m) * kd - (d === 0 ? 0n : BigInt(k - d + 1) * (previous[m] as bigint))) / BigInt(d + 1),
    );
    previous = current;
    current = next;
    cKd = (cKd * BigInt(k - d)) / BigInt(d + 1);
  }
  return weights;
}

function padded(weights: number[], n: number): number[] {
  return [...weights, ...new Array<number>(Math.max(0, n + 1 - weights.length)).fill(0)];
}

const DEGREE_PROFILE_OPTIONS = ['maxExactBits', 'maxDegree', 'samples', 'seed'];

/** The degree profile of `target` (see the module comment for which method is used). */
export function degreeProfile(target: BooleanTarget, options: DegreeProfileOptions = {}): DegreeProfile {
  const unknown = Object.keys(options).find((key) => !DEGREE_PROFILE_OPTIONS.includes(key));
  if (unknown !== undefined)
    throw new LearnabilityError(`degreeProfile: ${unknownKeyMessage(unknown, DEGREE_PROFILE_OPTIONS)}`);
  const { maxExactBits = 20, maxDegree = 3, samples = 4096, seed = 0 } = options;
  // The sampled estimate is a U-statistic over pairs of inputs: it needs two at least.
  assertInt('degreeProfile: samples', samples, 2);
  assertInt('degreeProfile: maxDegree', maxDegree, 0);
  // The exact path tabulates 2^bits values: past MAX_TABLE_BITS the table itself is refused.
  assertInt('degreeProfile: maxExactBits', maxExactBits, 0, MAX_TABLE_BITS);
  assertInt('degreeProfile: seed', seed, 0);
  if (target.symmetric !== null)
    return { method: 'exact', weights: padded(symmetricWeights(target.symmetric), target.n), stderr: null, rest: 0 };
  const exactOn = target.relevant ?? (target.n <= maxExactBits ? undefined : null);
  if (exactOn === undefined || (exactOn !== null && exactOn.length <= maxExactBits)) {
    // A junta's spectrum lives on subsets of its relevant bits: the table over those is enough.
    const weights = weightByDegree(fourierCoefficients(truthTable(target, exactOn)));
    return { method: 'exact', weights: padded(weights, target.n), stderr: null, rest: 0 };
  }
  return sampledProfile(target, Math.min(maxDegree, target.n), samples, seed);
}

/** The U-statistic estimate of W^{=0..maxDegree} from `samples` random inputs. */
export function sampledProfile(target: BooleanTarget, maxDegree: number, samples: number, seed: number): DegreeProfile {
  const n = target.n;
  const words = Math.ceil(n / 32);
  const x = new Float32Array(n);
  const bits = new Int32Array(samples * words);
  const f = new Float64Array(samples);
  const rng = createRng(seed).fork('degree-profile');
  for (let a = 0; a < samples; a++) {
    rng.signs(x);
    for (let i = 0; i < n; i++)
      if ((x[i] as number) < 0) bits[a * words + (i >>> 5)] = (bits[a * words + (i >>> 5)] as number) | (1 << (i & 31));
    f[a] = target.valueAt(x, 0);
  }
  const kraw = Array.from({ length: maxDegree + 1 }, (_, d) => krawtchoukRow(d, n));
  const histogram = new Float64Array(n + 1);
  // perSample[d][a] = f_a · Σ_{b≠a} f_b K_d(dist(a, b)) / (N − 1): the U-statistic's projections.
  const perSample = kraw.map(() => new Float64Array(samples));
  for (let a = 0; a < samples; a++) {
    histogram.fill(0);
    for (let b = 0; b < samples; b++) {
      if (b === a) continue;
      let dist = 0;
      for (let w = 0; w < words; w++)
        dist += popcount((bits[a * words + w] as number) ^ (bits[b * words + w] as number));
      histogram[dist] = (histogram[dist] as number) + (f[b] as number);
    }
    kraw.forEach((row, d) => {
      let s = 0;
      for (let m = 0; m <= n; m++) s += (histogram[m] as number) * (row[m] as number);
      (perSample[d] as Float64Array)[a] = ((f[a] as number) * s) / (samples - 1);
    });
  }
  const weights: number[] = [];
  const stderr: number[] = [];
  for (const values of perSample) {
    const mean = values.reduce((s, v) => s + v, 0) / samples;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (samples - 1);
    weights.push(mean);
    // Hoeffding: Var(U) ≈ 4 ζ₁ / N, and the projections' spread estimates ζ₁.
    stderr.push(2 * Math.sqrt(variance / samples));
  }
  return { method: 'sampled', weights, stderr, rest: 1 - weights.reduce((s, v) => s + v, 0) };
}

/**
 * E_x[f(x)] = f̂(∅) exactly, when it can be computed (symmetric targets; targets with at most
 * `maxExactBits` relevant bits, or n ≤ maxExactBits when the relevant set is unknown); else null.
 */
export function exactMean(target: BooleanTarget, maxExactBits = 20): number | null {
  if (target.symmetric !== null) {
    const k = target.symmetric.length - 1;
    let sum = 0n;
    target.symmetric.forEach((g, m) => (sum += BigInt(g) * binomialBig(k, m)));
    // sum / 2^k in fixed point: past k = 1023 both are beyond float64 (∞ / ∞ was NaN).
    return bigToNumber(sum, k);
  }
  const on = target.relevant ?? (target.n <= maxExactBits ? undefined : null);
  if (on === null || (on !== undefined && on.length > maxExactBits)) return null;
  const table = truthTable(target, on);
  return table.reduce((s, v) => s + v, 0) / table.length;
}
