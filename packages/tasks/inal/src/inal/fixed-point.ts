/**
 * Binary fixed-point reals on BigInt: a value v is the integer round(v · 2^bits). Just enough to
 * evaluate the ReLU arc-cosine kernel far beyond float64 precision (sqrt, arctan, arccos, π), for
 * sums whose terms cancel to many orders of magnitude below their size (relu-alignment.ts).
 * Each operation is correct to a few units in the last place; callers keep guard bits.
 */

/** A fixed-point number system with `bits` fractional bits. */
export interface FixedPoint {
  readonly bits: number;
  /** 1.0 */
  readonly one: bigint;
  /** π, correct to a few ulps. */
  readonly pi: bigint;
  /** The float64 `x`, exactly (then truncated to `bits`). */
  fromNumber(x: number): bigint;
  /** p/q for integers. */
  ratio(p: bigint, q: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  div(a: bigint, b: bigint): bigint;
  /** √a for a ≥ 0. */
  sqrt(a: bigint): bigint;
  /** arccos(c) for −1 ≤ c ≤ 1, in [0, π]. */
  acos(c: bigint): bigint;
}

/** ⌊√n⌋ for n ≥ 0 (Newton's method from a float64 first guess). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt: negative argument');
  if (n < 2n) return n;
  const shift = Math.max(0, n.toString(2).length - 100) & ~1; // even, so √ halves it exactly
  let x = BigInt(Math.ceil(Math.sqrt(Number(n >> BigInt(shift))))) << BigInt(shift / 2);
  // One step from any x > 0 lands at or above ⌊√n⌋ (AM–GM); from there Newton decreases to it.
  x = (x + n / x) >> 1n;
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) break;
    x = next;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** A fixed-point system with `bits` fractional bits (≥ 32). */
export function createFixedPoint(bits: number): FixedPoint {
  if (!Number.isInteger(bits) || bits < 32)
    throw new RangeError(`createFixedPoint: bits must be an integer ≥ 32, but got ${bits}`);
  const B = BigInt(bits);
  const one = 1n << B;
  const mul = (a: bigint, b: bigint): bigint => (a * b) >> B;
  const div = (a: bigint, b: bigint): bigint => (a << B) / b;
  const sqrt = (a: bigint): bigint => isqrt(a << B);

  /** arctan(1/q) for an integer q ≥ 2: Σ (−1)^j / ((2j+1) q^(2j+1)). */
  const atanInverse = (q: bigint): bigint => {
    let sum = 0n;
    let power = one / q; // 1/q^(2j+1)
    for (let j = 0n; power !== 0n; j++) {
      sum += (j % 2n === 0n ? 1n : -1n) * (power / (2n * j + 1n));
      power /= q * q;
    }
    return sum;
  };
  // Machin: π = 16 arctan(1/5) − 4 arctan(1/239).
  const pi = 16n * atanInverse(5n) - 4n * atanInverse(239n);

  /** arctan(t) for 0 ≤ t ≤ 1: halve the angle until t is tiny, then the Taylor series. */
  const atan = (t: bigint): bigint => {
    // arctan t = 2 arctan(t / (1 + √(1 + t²))): each halving roughly halves t.
    // Eight halvings take t ≤ 1 below tan(π/1024) ≈ 0.003, so the series needs ~bits/17 terms;
    // they multiply the rounding error by 2^8, which callers' guard bits absorb.
    const halvings = 8;
    let x = t;
    for (let h = 0; h < halvings; h++) x = div(x, one + sqrt(one + mul(x, x)));
    const x2 = mul(x, x);
    let sum = 0n;
    let power = x;
    for (let j = 0n; power !== 0n; j++) {
      sum += (j % 2n === 0n ? 1n : -1n) * (power / (2n * j + 1n));
      power = mul(power, x2);
    }
    return sum << BigInt(halvings);
  };

  const acos = (c: bigint): bigint => {
    if (c < 0n) return pi - acos(-c);
    if (c >= one) return 0n;
    const s = sqrt(one - mul(c, c)); // sin θ
    // θ = atan2(s, c) with the ratio kept ≤ 1.
    return s <= c ? atan(div(s, c)) : (pi >> 1n) - atan(div(c, s));
  };

  const fromNumber = (x: number): bigint => {
    if (!Number.isFinite(x)) throw new RangeError(`fixedPoint.fromNumber: ${x} is not finite`);
    if (x === 0) return 0n;
    // x = ±m · 2^e with an integer m < 2^53, read from the float64's bits: exact for every finite x
    // (Math.log2 rounds up just below a power of two, and 2^e underflows for subnormals).
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const biased = (view.getUint32(0) >>> 20) & 0x7ff;
    const fraction = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    const magnitude = biased === 0 ? fraction : fraction | (1n << 52n);
    const m = x < 0 ? -magnitude : magnitude;
    const e = (biased === 0 ? 1 : biased) - 1075;
    const shift = BigInt(e) + B;
    return shift >= 0n ? m << shift : m >> -shift;
  };

  return { bits, one, pi, fromNumber, ratio: (p, q) => (p << B) / q, mul, div, sqrt, acos };
}

/** x · 2^e without overflow or underflow in between (a result below float64's range is 0). */
export function scaleByPowerOfTwo(x: number, e: number): number {
  let out = x;
  let rest = e;
  while (rest > 1000) {
    out *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    out *= 2 ** -1000;
    rest += 1000;
  }
  return out * 2 ** rest;
}

/** The BigInt n · 2^−shift as the nearest float64 (for shift ≥ 0, any size of n). */
export function bigToNumber(n: bigint, shift: number): number {
  const negative = n < 0n;
  const a = negative ? -n : n;
  const length = a.toString(2).length;
  const drop = Math.max(0, length - 64);
  // The dropped bits kept as one sticky bit, far below float64's 53: without it the value was
  // rounded twice (cut to 64 bits, then to 53), one ulp off where the cut made an exact half.
  const sticky = drop > 0 && a % (1n << BigInt(drop)) !== 0n ? 1n : 0n;
  const top = Number((a >> BigInt(drop)) | sticky);
  const value = scaleByPowerOfTwo(top, drop - shift);
  return negative ? -value : value;
}
