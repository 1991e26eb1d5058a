import { describe, expect, it } from 'vitest';
import { bigToNumber, createFixedPoint, isqrt, scaleByPowerOfTwo } from './fixed-point.js';

describe('fixed point on BigInt', () => {
  it('isqrt is the exact integer square root, also for large arguments', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 40n, 10n ** 40n - 1n, 3n ** 300n + 7n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n, `n = ${n}`).toBe(true);
    }
    expect(() => isqrt(-1n)).toThrow('isqrt: negative argument');
  });

  it('bigToNumber rounds once, to the nearest float64, past 64 bits too', () => {
    // The top 64 bits end at an exact half of float64's last place; the bit below them breaks the tie.
    const n = 2n ** 64n + 2n ** 11n + 1n;
    expect(bigToNumber(n, 0)).toBe(Number(n));
    expect(bigToNumber(n, 0)).toBe(2 ** 64 + 2 ** 12);
    expect(bigToNumber(-n, 3)).toBe(-Number(n) / 8);
    expect(bigToNumber(2n ** 64n + 2n ** 11n, 0)).toBe(2 ** 64); // an exact half: to even
  });

  it('π, √2 and arccos agree with float64 at 128 bits and with each other at 512', () => {
    const fx = createFixedPoint(128);
    expect(bigToNumber(fx.pi, 128)).toBe(Math.PI);
    expect(bigToNumber(fx.sqrt(2n * fx.one), 128)).toBe(Math.SQRT2);
    for (const c of [-1, -0.9, -0.5, -1e-3, 0, 0.3, 0.5, Math.SQRT1_2, 0.99, 1]) {
      expect(bigToNumber(fx.acos(fx.fromNumber(c)), 128), `acos(${c})`).toBeCloseTo(Math.acos(c), 15);
    }
    // At 512 bits: cos(acos(c))² + sin² = 1 is not testable in float64, but π = 2·acos(0) and
    // acos(−c) = π − acos(c) to within a few ulps of 2^−512 are.
    const big = createFixedPoint(512);
    expect(Math.abs(Number(big.pi - 2n * big.acos(0n)))).toBeLessThan(1e3);
    const c = big.ratio(1n, 3n);
    const gap = big.acos(-c) - (big.pi - big.acos(c));
    expect(Math.abs(Number(gap))).toBeLessThan(1e3);
    // 1/3 at 512 bits has 512 correct bits: its arccos matches float64 to the last bit or so.
    expect(bigToNumber(big.acos(c), 512)).toBeCloseTo(Math.acos(1 / 3), 15);
  });

  it('fromNumber is exact and bigToNumber reaches far below float64 exponents without overflow', () => {
    const fx = createFixedPoint(64);
    expect(fx.fromNumber(0.75)).toBe(3n << 62n);
    expect(fx.fromNumber(-1 / 64)).toBe(-(1n << 58n));
    // Just below a power of two (Math.log2 gives exactly −2 here), and far below float64's normal range.
    const below = 0.25 - 2 ** -55;
    expect(bigToNumber(createFixedPoint(128).fromNumber(below), 128)).toBe(below);
    expect(bigToNumber(createFixedPoint(1100).fromNumber(-(2 ** -1070)), 1100)).toBe(-(2 ** -1070));
    expect(bigToNumber(createFixedPoint(1100).fromNumber(Number.MIN_VALUE), 1100)).toBe(Number.MIN_VALUE);
    expect(fx.fromNumber(1.5 * 2 ** -70)).toBe(0n); // below the 64 fraction bits: truncated
    expect(fx.fromNumber(-(2 ** 40))).toBe(-(1n << 104n));
    expect(bigToNumber(3n, 2)).toBe(0.75);
    // 3^1000 has 1,585 bits; 3^1000 / 2^1600 ≈ 3.0e-5.
    expect(Math.abs(bigToNumber(3n ** 1000n, 1600) / Math.exp(1000 * Math.log(3) - 1600 * Math.LN2) - 1)).toBeLessThan(
      1e-12,
    );
    expect(scaleByPowerOfTwo(1, -3000)).toBe(0);
    expect(scaleByPowerOfTwo(2 ** 1000, -1500)).toBe(2 ** -500);
    expect(() => createFixedPoint(8)).toThrow('createFixedPoint: bits must be an integer ≥ 32');
  });
});
