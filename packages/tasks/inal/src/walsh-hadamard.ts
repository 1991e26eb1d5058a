/**
 * The Walsh–Fourier basis on {±1}^n (O'Donnell, *Analysis of Boolean Functions*, ch. 1).
 *
 * Index convention (used everywhere in this package): row i of a truth table is the input with
 * x_j = −1 exactly when bit j of i is 1 (bit 1 ↔ −1 ↔ "true", the GF(2) view of the parity task).
 * Then χ_S(x) = Π_{j∈S} x_j = (−1)^{popcount(i & S)} with S read as a bit mask, and
 * f = Σ_S f̂(S) χ_S with f̂(S) = 2^{−n} Σ_i f(i) χ_S(i).
 */

/** Largest n the transforms accept: a 2^24-entry Float64Array is 128 MiB. */
export const MAX_TRANSFORM_BITS = 24;

function checkLength(where: string, length: number): number {
  const n = Math.log2(length);
  if (!Number.isInteger(n) || n > MAX_TRANSFORM_BITS) {
    throw new RangeError(`${where}: length must be 2^n with n ≤ ${MAX_TRANSFORM_BITS}, but got ${length}`);
  }
  return n;
}

/**
 * In-place fast Walsh–Hadamard transform (unnormalised): afterwards `values[S] = Σ_i values[i]·χ_S(i)`.
 * O(n·2^n) additions. Applying it twice multiplies by 2^n. Returns `values`.
 */
export function walshHadamard<T extends Float64Array | Float32Array>(values: T): T {
  const length = values.length;
  checkLength('walshHadamard', length);
  for (let half = 1; half < length; half <<= 1) {
    for (let start = 0; start < length; start += half << 1) {
      for (let i = start; i < start + half; i++) {
        const a = values[i] as number;
        const b = values[i + half] as number;
        values[i] = a + b;
        values[i + half] = a - b;
      }
    }
  }
  return values;
}

/** f̂(S) for every S (indexed by its bit mask) from a truth table of length 2^n. A new array. */
export function fourierCoefficients(table: ArrayLike<number>): Float64Array {
  const n = checkLength('fourierCoefficients', table.length);
  const out = walshHadamard(Float64Array.from(table));
  const scale = 2 ** -n;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  return out;
}

/** Number of set bits of a 32-bit integer. */
export function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** W^{=d}[f] = Σ_{|S|=d} f̂(S)² for d = 0..n, from the coefficients f̂ (length 2^n). */
export function weightByDegree(coefficients: ArrayLike<number>): number[] {
  const n = checkLength('weightByDegree', coefficients.length);
  const weights = new Array<number>(n + 1).fill(0);
  for (let s = 0; s < coefficients.length; s++) {
    const c = coefficients[s] as number;
    weights[popcount(s)] = (weights[popcount(s)] as number) + c * c;
  }
  return weights;
}
