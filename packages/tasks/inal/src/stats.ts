/**
 * Small statistics helpers for the estimators: quantiles for confidence intervals and the
 * log–log slope fit behind "INAL ~ n^slope".
 */

/** Standard normal quantile Φ^{−1}(p) (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), but got ${p}`);
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const poly = (coef: number[], x: number) => coef.reduce((acc, v) => acc * x + v, 0);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: relative error about 1e-15). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < c.length; i++) sum += (c[i] as number) / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The continued fraction of the incomplete beta function (modified Lentz), for x < (a + 1)/(a + b + 2),
 * where it converges fast: Numerical Recipes §6.4, eq. 6.4.5.
 */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 500; m++) {
    for (const numerator of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), 0 ≤ x ≤ 1. */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom. */
export function studentCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5); // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

/**
 * Student-t quantile with `df` ≥ 1 degrees of freedom, whole or not: the root of
 * studentCdf(t) = p by Newton's method on t's density, kept inside a bracket that bisection
 * shrinks where a Newton step would leave it; to about 1e-12 relative. (A Cornish–Fisher
 * expansion, used before, is 3 % low at df = 2 and 24 % at df = 1, which a 3-point slope fit has.)
 */
export function studentQuantile(p: number, df: number): number {
  if (!(df >= 1)) throw new RangeError(`studentQuantile: df must be ≥ 1, but got ${df}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`studentQuantile: p must be in (0, 1), but got ${p}`);
  if (p < 0.5) return -studentQuantile(1 - p, df);
  if (p === 0.5) return 0;
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (t: number) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
  let low = 0;
  let high = Math.max(1, normalQuantile(p));
  while (studentCdf(high, df) < p) high *= 2;
  let t = (low + high) / 2;
  for (let i = 0; i < 200; i++) {
    const excess = studentCdf(t, df) - p;
    if (excess > 0) high = t;
    else low = t;
    const step = t - excess / density(t);
    const next = step > low && step < high ? step : (low + high) / 2;
    if (Math.abs(next - t) <= 1e-13 * next) return next;
    t = next;
  }
  return t;
}

/** Mean and standard error of the mean of `values` (standard error NaN for fewer than 2). */
export function meanAndStderr(values: ArrayLike<number>): { mean: number; stderr: number } {
  const count = values.length;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i] as number;
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < count; i++) ss += ((values[i] as number) - mean) ** 2;
  return { mean, stderr: count > 1 ? Math.sqrt(ss / (count - 1) / count) : Number.NaN };
}

/**
 * Degrees of freedom of a sample variance from R values with sample excess kurtosis g₂ ≥ 0:
 * Var(s²)/σ⁴ = 2/(R − 1) + κ/R, matched to the 2/df of a χ² (Satterthwaite), so
 * df = 2 / (2/(R − 1) + g₂/R): R − 1 for normal data, fewer for heavy tails. At least 2, but
 * never more than R − 1 (R = 2 has 1: the plain t-interval's, about three times as wide as 2's at 95 %).
 */
export function kurtosisDof(values: ArrayLike<number>): number {
  const R = values.length;
  const { mean } = meanAndStderr(values);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < R; i++) {
    const d = (values[i] as number) - mean;
    m2 += d * d;
    m4 += d ** 4;
  }
  const excess = m2 > 0 ? Math.max(0, (R * m4) / (m2 * m2) - 3) : 0;
  return Math.min(R - 1, Math.max(2, 2 / (2 / (R - 1) + excess / R)));
}

/**
 * A two-sided `confidence` interval for a mean from R independent values, and its standard error:
 * Student t with the kurtosis-adjusted degrees of freedom of `kurtosisDof`. INAL's per-init values
 * are skewed and heavy-tailed, so their sample sd is usually below the true one (measured: the
 * run-to-run spread of sampled points was up to 1.4× their standard errors); fewer degrees of freedom widen the
 * interval, so that it covers more often than the plain t-interval, though not always as often as it
 * says: on χ²₁ values (skewness 2.8) with R = 16, 89 % against 88 % at a nominal 95 % (stats.test.ts).
 * For normal data it is the plain t-interval.
 */
export function meanInterval(
  values: ArrayLike<number>,
  confidence: number,
): { mean: number; low: number; high: number; stderr: number; dof: number } {
  const { mean, stderr } = meanAndStderr(values);
  if (!Number.isFinite(stderr)) return { mean, low: Number.NaN, high: Number.NaN, stderr, dof: Number.NaN };
  const dof = kurtosisDof(values);
  const t = studentQuantile(0.5 + confidence / 2, dof);
  return { mean, low: mean - t * stderr, high: mean + t * stderr, stderr, dof };
}

/**
 * Least-squares slope and intercept of log(y) against log(x) over the points with x, y > 0 and finite;
 * null when fewer than two such points remain.
 */
export function logLogSlope(
  points: readonly { x: number; y: number }[],
): { slope: number; intercept: number; used: number } | null {
  const usable = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  if (usable.length < 2) return null;
  const lx = usable.map((p) => Math.log(p.x));
  const ly = usable.map((p) => Math.log(p.y));
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  lx.forEach((v, i) => {
    sxy += (v - mx) * ((ly[i] as number) - my);
    sxx += (v - mx) ** 2;
  });
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, used: usable.length };
}

/** A weighted least-squares line log y = intercept + slope · log x, with the slope's interval. */
export interface WeightedLogLogFit {
  slope: number;
  intercept: number;
  /** `confidence` interval of the slope. */
  slopeLow: number;
  slopeHigh: number;
  slopeStderr: number;
  /** Each point's weight 1/sd(log y)², normalised to sum to 1, in input order. */
  weights: number[];
  /** χ²/(m − 2) of the residuals against their sd (NaN for two points): > 1 means more scatter than the sds imply. */
  reducedChiSquare: number;
}

/**
 * Weighted least squares of log y on log x with weights 1/sd(log y)² (sd(log y) ≈ sd(y)/y, the
 * delta method). The slope's standard error is 1/√(Σ w (log x − mean)²) from the given sds, scaled
 * by S = √(χ²/(m − 2)) when the residuals scatter more than they imply (S > 1: the Birge ratio, as
 * the PDG scales errors), and the interval is ± the normal quantile times it. The interval grows
 * continuously with the scatter: a Student-t quantile taken only once S passed 1 made it jump
 * 6.5-fold at S = 1 for three points. S rests on χ² with m − 2 degrees of freedom, few for a
 * handful of n, so a widened interval is approximate (it covers less than its level when the sds
 * are too small). Null with fewer than two usable points (x, y, sd > 0, finite).
 */
export function weightedLogLogSlope(
  points: readonly { x: number; y: number; sdLogY: number }[],
  confidence = 0.95,
): WeightedLogLogFit | null {
  const usable = points.map(
    (p) =>
      p.x > 0 && p.y > 0 && p.sdLogY > 0 && Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.sdLogY),
  );
  const used = points.filter((_, i) => usable[i]);
  if (used.length < 2) return null;
  const u = used.map((p) => Math.log(p.x));
  const v = used.map((p) => Math.log(p.y));
  const w = used.map((p) => 1 / p.sdLogY ** 2);
  const sw = w.reduce((a, b) => a + b, 0);
  const mu = u.reduce((a, x, i) => a + (w[i] as number) * x, 0) / sw;
  const mv = v.reduce((a, y, i) => a + (w[i] as number) * y, 0) / sw;
  let sxx = 0;
  let sxy = 0;
  u.forEach((x, i) => {
    sxx += (w[i] as number) * (x - mu) ** 2;
    sxy += (w[i] as number) * (x - mu) * ((v[i] as number) - mv);
  });
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = mv - slope * mu;
  const dof = used.length - 2;
  const chi2 = u.reduce((a, x, i) => a + (w[i] as number) * ((v[i] as number) - intercept - slope * x) ** 2, 0);
  const reducedChiSquare = dof > 0 ? chi2 / dof : Number.NaN;
  const slopeStderr = Math.sqrt((dof > 0 ? Math.max(1, reducedChiSquare) : 1) / sxx);
  const q = normalQuantile(0.5 + confidence / 2);
  let k = 0;
  const weights = points.map((_, i) => (usable[i] ? (w[k++] as number) / sw : 0));
  return {
    slope,
    intercept,
    slopeLow: slope - q * slopeStderr,
    slopeHigh: slope + q * slopeStderr,
    slopeStderr,
    weights,
    reducedChiSquare,
  };
}
