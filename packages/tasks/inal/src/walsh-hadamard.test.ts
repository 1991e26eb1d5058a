import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { allBits, truthTable } from './boolean-target.js';
import { createTarget } from './create-target.js';
import { symmetricWeights } from './degree-profile.js';
import { binomial } from './krawtchouk.js';
import { fourierCoefficients, popcount, walshHadamard, weightByDegree } from './walsh-hadamard.js';

/** f̂(S) = 2^−n Σ_i f(i) (−1)^{|i ∧ S|}, straight from the definition. */
function bruteForce(table: ArrayLike<number>): number[] {
  const size = table.length;
  return Array.from({ length: size }, (_, s) => {
    let sum = 0;
    for (let i = 0; i < size; i++) sum += (table[i] as number) * (popcount(i & s) % 2 === 0 ? 1 : -1);
    return sum / size;
  });
}

const randomTable = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: 2 ** n }, () => rng.normal());
};

describe('walshHadamard', () => {
  it('matches the definition on random real tables, n = 0..8', () => {
    for (let n = 0; n <= 8; n++) {
      const table = randomTable(n, n);
      const fast = fourierCoefficients(table);
      bruteForce(table).forEach((v, s) => expect(fast[s]).toBeCloseTo(v, 12));
    }
  });

  it('is its own inverse up to 2^n and works in place on float32', () => {
    const table = randomTable(6, 1);
    const twice = walshHadamard(walshHadamard(Float64Array.from(table)));
    twice.forEach((v, i) => expect(v / 64).toBeCloseTo(table[i] as number, 12));
    const f32 = Float32Array.from([1, -1, -1, 1]);
    expect(walshHadamard(f32)).toBe(f32);
    expect(Array.from(f32)).toEqual([0, 0, 0, 4]);
  });

  it('Parseval: Σ_S f̂(S)² = E f², and = 1 for every ±1 function', () => {
    const table = randomTable(7, 3);
    const energy = table.reduce((s, v) => s + v * v, 0) / table.length;
    expect(fourierCoefficients(table).reduce((s, v) => s + v * v, 0)).toBeCloseTo(energy, 12);
    for (const spec of ['random:9', 'majority:9', 'staircase:6', 'junta:5', 'expr:x[0]<0 || x[2]*x[4]>0']) {
      const target = createTarget(spec, { n: 9, seed: 4 });
      const weights = weightByDegree(fourierCoefficients(truthTable(target)));
      expect(
        weights.reduce((a, b) => a + b, 0),
        spec,
      ).toBeCloseTo(1, 12);
    }
  });

  it('rejects lengths that are not a power of two', () => {
    expect(() => walshHadamard(new Float64Array(6))).toThrow(
      'walshHadamard: length must be 2^n with n ≤ 24, but got 6',
    );
  });

  it('popcount counts bits of 32-bit integers', () => {
    expect([0, 1, 3, 0xff, 0x80000000, -1].map(popcount)).toEqual([0, 1, 2, 8, 1, 32]);
  });
});

describe('truthTable', () => {
  it('tabulates over chosen variables, and refuses an index the target does not have', () => {
    const target = createTarget('parity:[0,1]', { n: 4 });
    // Over the support {0, 1}: x₀x₁ in the order of the bits of i.
    expect(Array.from(truthTable(target, [0, 1]))).toEqual([1, -1, -1, 1]);
    // Bit 7 of a 4-bit target was tabulated as if it were a bit the target reads.
    for (const variables of [[0, 7], [-1], [1, 1], [0.5]])
      expect(() => truthTable(target, variables)).toThrow(
        `truthTable: variables must be distinct integer bit indexes in [0, 3], but got ${JSON.stringify(variables)}`,
      );
  });
});

describe('known spectra', () => {
  it('Maj₃ = ½(x₁ + x₂ + x₃) − ½x₁x₂x₃', () => {
    const coefficients = fourierCoefficients(truthTable(createTarget('majority', { n: 3 })));
    // Majority is −1 when most bits are −1, so its Fourier expansion is +½Σx_i − ½Πx_i.
    expect(Array.from(coefficients)).toEqual([0, 0.5, 0.5, 0, 0.5, 0, 0, -0.5]);
  });

  it('majority of n bits: f̂({i}) = C(n−1, (n−1)/2)/2^(n−1), weight only on odd degrees, W¹ → 2/π', () => {
    for (const n of [5, 9, 13]) {
      const coefficients = fourierCoefficients(truthTable(createTarget('majority', { n })));
      const expected = binomial(n - 1, (n - 1) / 2) / 2 ** (n - 1);
      for (let i = 0; i < n; i++) expect(coefficients[1 << i]).toBeCloseTo(expected, 12);
      const weights = weightByDegree(coefficients);
      weights.forEach((w, d) => (d % 2 === 0 ? expect(w).toBe(0) : expect(w).toBeGreaterThan(0)));
      expect(weights[1]).toBeCloseTo(n * expected ** 2, 12);
    }
    const big = symmetricWeights(createTarget('majority', { n: 401 }).symmetric ?? []);
    expect(big[1]).toBeGreaterThan(2 / Math.PI);
    expect(big[1]).toBeLessThan(2 / Math.PI + 1e-3);
  });

  it('AND of k bits: f̂(∅) = 1 − 2^(1−k), f̂(S) = −(−1)^|S| 2^(1−k) for S ≠ ∅', () => {
    const k = 5;
    const coefficients = fourierCoefficients(truthTable(createTarget(`and:[${allBits(k).join(',')}]`, { n: k })));
    coefficients.forEach((c, s) =>
      expect(c).toBeCloseTo(s === 0 ? 1 - 2 ** (1 - k) : -((-1) ** popcount(s)) * 2 ** (1 - k), 14),
    );
    // OR is AND with inputs and output negated: same magnitudes, f̂(∅) = −(1 − 2^(1−k)).
    const or = fourierCoefficients(truthTable(createTarget(`or:${k}`, { n: k })));
    or.forEach((c, s) => expect(Math.abs(c)).toBeCloseTo(s === 0 ? 1 - 2 ** (1 - k) : 2 ** (1 - k), 14));
    expect(or[0]).toBeLessThan(0);
  });

  it('the symmetric (Krawtchouk) weights equal the transform for threshold functions', () => {
    for (const spec of ['threshold:9:3', 'majority:9', 'and:9', 'or:4', 'parity:6']) {
      const target = createTarget(spec, { n: 9, seed: 2 });
      const viaTable = weightByDegree(fourierCoefficients(truthTable(target, target.relevant ?? undefined)));
      symmetricWeights(target.symmetric ?? []).forEach((w, d) =>
        expect(w, `${spec} W^${d}`).toBeCloseTo(viaTable[d] as number, 13),
      );
    }
  });
});
