import { describe, expect, it } from 'vitest';
import { truthTable } from './boolean-target.js';
import { createTarget } from './create-target.js';
import { degreeProfile, exactMean, sampledProfile } from './degree-profile.js';
import { fourierCoefficients, weightByDegree } from './walsh-hadamard.js';

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

describe('degreeProfile', () => {
  it('puts a degree-k parity on degree k exactly, at any n', () => {
    for (const [spec, n, k] of [
      ['parity:3', 64, 3],
      ['parity:n/2', 64, 32],
      ['parity:n', 40, 40],
    ] as const) {
      const p = degreeProfile(createTarget(spec, { n }));
      expect(p.method).toBe('exact');
      expect(p.weights).toHaveLength(n + 1);
      p.weights.forEach((w, d) => expect(w, `${spec} W^${d}`).toBeCloseTo(d === k ? 1 : 0, 12));
    }
  });

  it("a junta's profile from its relevant bits equals the full truth table's", () => {
    for (const spec of ['staircase:5', 'random:4', 'junta:3', 'table:0110100110010110', 'threshold:5:2']) {
      const target = createTarget(spec, { n: 11, seed: 7 });
      const full = weightByDegree(fourierCoefficients(truthTable(target)));
      const p = degreeProfile(target);
      expect(p.method).toBe('exact');
      p.weights.forEach((w, d) => expect(w, `${spec} W^${d}`).toBeCloseTo(full[d] as number, 12));
    }
  });

  it('the staircase has weight on every degree up to k, the most on degree 1', () => {
    const w = degreeProfile(createTarget('staircase:4', { n: 32 })).weights;
    expect(w.slice(1, 5).every((v) => v > 0)).toBe(true);
    expect(sum(w.slice(5))).toBe(0);
    expect(w[1]).toBeGreaterThan(Math.max(...w.slice(2)));
    expect(sum(w)).toBeCloseTo(1, 12);
  });

  it('samples an expression of many bits: unbiased within a few standard errors, and says so', () => {
    // Equal to staircase over x0, x5, x9 at n = 40 (no tie for odd k); exact profile from the junta.
    const expr = createTarget('expr:x[0] + x[0]*x[5] + x[0]*x[5]*x[9]', { n: 40 });
    const exact = degreeProfile(createTarget('staircase:[0,5,9]', { n: 40 })).weights;
    const p = degreeProfile(expr, { samples: 3000, maxDegree: 3, seed: 1 });
    expect(p.method).toBe('sampled');
    expect(p.weights).toHaveLength(4);
    p.weights.forEach((w, d) => {
      const se = p.stderr?.[d] as number;
      expect(se).toBeGreaterThan(0);
      expect(Math.abs(w - (exact[d] as number)), `W^${d} = ${w} ± ${se} vs ${exact[d]}`).toBeLessThan(4 * se + 1e-3);
    });
    // The exact profile has no weight past degree 3: the sampled rest is 0 within its errors.
    expect(Math.abs(p.rest)).toBeLessThan(4 * Math.hypot(...(p.stderr ?? [])) + 1e-3);
    // The control: the same criterion rejects a wrong exact profile (a degree-3 parity's).
    const wrong = degreeProfile(createTarget('parity:3', { n: 40 })).weights;
    expect(p.weights.some((w, d) => Math.abs(w - (wrong[d] as number)) >= 4 * (p.stderr?.[d] as number) + 1e-3)).toBe(
      true,
    );
  });

  it('a sampled profile puts a degree-1 parity at degree 1', () => {
    const p = sampledProfile(createTarget('parity:1', { n: 30 }), 2, 2000, 3);
    expect(p.weights[1]).toBeGreaterThan(0.9);
    expect(Math.abs(p.weights[2] as number)).toBeLessThan(0.1);
  });
});

describe('degreeProfile options', () => {
  it('refuses sample counts that give NaN, a negative degree and a misspelt option', () => {
    const target = createTarget('expr:x[0]*x[1]*x[2]', { n: 30 });
    for (const samples of [0, 1, 10.5])
      expect(() => degreeProfile(target, { samples })).toThrow(
        `degreeProfile: samples must be an integer ≥ 2, but got ${samples}`,
      );
    expect(() => degreeProfile(target, { maxDegree: -1 })).toThrow('degreeProfile: maxDegree must be an integer ≥ 0');
    // Past 24 bits the exact table is refused by truthTable, which named neither this call nor the option.
    expect(() => degreeProfile(createTarget('expr:x[0]*x[1]', { n: 26 }), { maxExactBits: 30 })).toThrow(
      'degreeProfile: maxExactBits must be an integer in [0, 24], but got 30',
    );
    expect(() => degreeProfile(target, { sample: 100 } as never)).toThrow(
      'degreeProfile: unknown option "sample"; did you mean "samples"?',
    );
  });
});

describe('exactMean', () => {
  it('is f̂(∅) for symmetric, junta and small expression targets, and null when unknown', () => {
    expect(exactMean(createTarget('parity:3', { n: 50 }))).toBe(0);
    expect(exactMean(createTarget('and:4', { n: 50 }))).toBeCloseTo(1 - 2 ** -3, 15);
    expect(exactMean(createTarget('table:0001', { n: 5 }))).toBe(0.5);
    expect(exactMean(createTarget('expr:x[0]<0 && x[1]<0', { n: 10 }))).toBe(0.5);
    expect(exactMean(createTarget('expr:x[0]<0 && x[1]<0', { n: 30 }))).toBeNull();
  });

  it('stays exact past 1,023 relevant bits, where 2^k overflows float64', () => {
    expect(exactMean(createTarget('and:1100', { n: 1100 }))).toBe(1);
    // At least 515 of 1,030 bits: E f = ∓P(exactly 515) = ∓C(1030, 515)/2^1030 = ∓Π (2i − 1)/(2i), i ≤ 515.
    let central = 1;
    for (let i = 1; i <= 515; i++) central *= (2 * i - 1) / (2 * i);
    const mean = exactMean(createTarget('threshold:1030:515', { n: 1030 }));
    expect(Math.abs(mean ?? Number.NaN)).toBeCloseTo(central, 12);
  });
});
