/**
 * The built-in target families, from resolved parameters (create-target.ts turns a spec into
 * these). Each is a junta: it depends only on its `relevant` coordinates.
 */
import { createRng } from '@learnability/core';
import type { BooleanTarget, TargetFamily } from './boolean-target.js';
import { countNegatives } from './boolean-target.js';

interface Common {
  spec: string;
  n: number;
  relevant: readonly number[];
}

/** A symmetric function of its relevant bits: g[m] is its value when m of them are −1. */
export function symmetricTarget(
  family: TargetFamily,
  c: Common,
  g: readonly number[],
  extra: Record<string, unknown> = {},
): BooleanTarget {
  const { spec, n, relevant } = c;
  const values = Object.freeze([...g]);
  return {
    spec,
    family,
    n,
    relevant,
    symmetric: values,
    valueAt: (x, offset) => values[countNegatives(x, offset, relevant)] as number,
    describe: () => ({ spec, family, n, relevant: [...relevant], ...extra }),
  };
}

/** χ_S(x) = Π_{i∈S} x_i. */
export function parityTarget(c: Common): BooleanTarget {
  return symmetricTarget(
    'parity',
    c,
    Array.from({ length: c.relevant.length + 1 }, (_, m) => (m % 2 === 0 ? 1 : -1)),
  );
}

/** −1 ("true") when at least t of the k relevant bits are −1. AND: t = k; OR: t = 1; majority: t = (k + 1)/2. */
export function thresholdTarget(family: 'threshold' | 'and' | 'or' | 'majority', c: Common, t: number): BooleanTarget {
  return symmetricTarget(
    family,
    c,
    Array.from({ length: c.relevant.length + 1 }, (_, m) => (m >= t ? -1 : 1)),
    { t },
  );
}

/**
 * The staircase of Abbe et al.: sign(x_{s1} + x_{s1}x_{s2} + … + x_{s1}⋯x_{sk}) over the relevant
 * coordinates in increasing order; a tie (even k) goes to x_{s1}, the first step. At k = 2 that
 * makes f = x_{s1} (x_{s1}(1 + x_{s2}) is 0 or 2·x_{s1}): `relevant` lists both, f reads one.
 */
export function staircaseTarget(c: Common): BooleanTarget {
  const { spec, n, relevant } = c;
  return {
    spec,
    family: 'staircase',
    n,
    relevant,
    symmetric: null,
    valueAt: (x, offset) => {
      let prefix = 1;
      let sum = 0;
      for (const i of relevant) {
        prefix *= (x[offset + i] as number) < 0 ? -1 : 1;
        sum += prefix;
      }
      if (sum === 0) return (x[offset + (relevant[0] as number)] as number) < 0 ? -1 : 1;
      return sum > 0 ? 1 : -1;
    },
    describe: () => ({ spec, family: 'staircase', n, relevant: [...relevant] }),
  };
}

/**
 * A function given by its truth table over the relevant bits (±1 entries, length 2^k, index
 * bit j ↔ x_{relevant[j]} = −1).
 */
export function tableTarget(
  family: 'random' | 'junta' | 'table',
  c: Common,
  table: Float64Array,
  extra: Record<string, unknown> = {},
): BooleanTarget {
  const { spec, n, relevant } = c;
  return {
    spec,
    family,
    n,
    relevant,
    symmetric: null,
    valueAt: (x, offset) => {
      let index = 0;
      for (let j = 0; j < relevant.length; j++)
        if ((x[offset + (relevant[j] as number)] as number) < 0) index |= 1 << j;
      return table[index] as number;
    },
    describe: () => ({ spec, family, n, relevant: [...relevant], ...extra }),
  };
}

/** A uniformly random truth table on k bits (every one of the 2^(2^k) functions equally likely). */
export function randomTable(k: number, seed: number): Float64Array {
  const signs = new Float32Array(2 ** k);
  createRng(seed).fork('random-table').signs(signs);
  return Float64Array.from(signs);
}

/**
 * A random balanced truth table on k ≥ 1 bits that depends on every one of them (redrawn until no
 * variable is irrelevant; for k ≥ 2 the first draw almost always is).
 */
export function balancedJuntaTable(k: number, seed: number): Float64Array {
  const size = 2 ** k;
  const rng = createRng(seed).fork('junta-table');
  for (;;) {
    const table = new Float64Array(size).fill(1);
    // Shuffle half −1 entries into place (partial Fisher–Yates over indices).
    const order = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < size / 2; i++) {
      const j = i + rng.int(size - i);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
      table[order[i] as number] = -1;
    }
    const dependsOnAll = Array.from({ length: k }, (_, j) => table.some((v, i) => v !== table[i ^ (1 << j)])).every(
      Boolean,
    );
    if (dependsOnAll) return table;
  }
}
