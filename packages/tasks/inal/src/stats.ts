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

/**
 * Student-t quantile with `df` degrees of freedom (Cornish–Fisher expansion in 1/df; within 1 %
 * of the exact value for df ≥ 3 at the usual levels).
 */
export function studentQuantile(p: number, df: number): number {
  if (!(df >= 1)) throw new RangeError(`studentQuantile: df must be ≥ 1, but got ${df}`);
  const z = normalQuantile(p);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
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
 * df = 2 / (2/(R − 1) + g₂/R): R − 1 for normal data, fewer for heavy tails. At least 2.
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
  return Math.max(2, Math.min(R - 1, 2 / (2 / (R - 1) + excess / R)));
}

/**
 * A two-sided `confidence` interval for a mean from R independent values, and its standard error:
 * Student t with the kurtosis-adjusted degrees of freedom of `kurtosisDof`. INAL's per-init values
 * are skewed and heavy-tailed, so their sample sd is usually below the true one (measured: the
 * run-to-run spread of sampled points was up to 1.4× their standard errors); fewer degrees of freedom widen the
 * interval to cover as often as it says. For normal data it is the plain t-interval.
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
 * Least-squares slope and intercept of log(y) against log(x) over the points with x, y > 0;
 * null when fewer than two such points remain.
 */
export function logLogSlope(
  points: readonly { x: number; y: number }[],
): { slope: number; intercept: number; used: number } | null {
  const usable = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
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
 * delta method). The slope's standard error is 1/√(Σ w (log x − mean)²) from the given sds; when
 * the residuals scatter more than they imply (χ²/(m − 2) > 1) it is scaled by √(χ²/(m − 2)) and the
 * interval uses Student t with m − 2 degrees of freedom (the Birge ratio, as the PDG does);
 * otherwise the normal quantile. Null with fewer than two usable points (x, y, sd > 0, finite).
 */
export function weightedLogLogSlope(
  points: readonly { x: number; y: number; sdLogY: number }[],
  confidence = 0.95,
): WeightedLogLogFit | null {
  const usable = points.map(
    (p) => p.x > 0 && p.y > 0 && p.sdLogY > 0 && Number.isFinite(p.y) && Number.isFinite(p.sdLogY),
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
  const inflate = dof > 0 && reducedChiSquare > 1;
  const slopeStderr = Math.sqrt((inflate ? reducedChiSquare : 1) / sxx);
  const q = inflate ? studentQuantile(0.5 + confidence / 2, dof) : normalQuantile(0.5 + confidence / 2);
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
