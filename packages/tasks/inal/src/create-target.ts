/**
 * Spec → target: resolves <k> at n, draws the relevant coordinates and any random truth table from
 * the seed, and checks every constraint (ConfigError at path `target`).
 */
import { ConfigError, createRng, showValue, unknownKeyMessage } from '@learnability/core';
import type { BooleanTarget } from './boolean-target.js';
import { expressionTarget } from './expression-target.js';
import {
  balancedJuntaTable,
  parityTarget,
  randomTable,
  staircaseTarget,
  tableTarget,
  thresholdTarget,
} from './families.js';
import { formatTargetSpec, parseTargetSpec, resolveCount } from './target-spec.js';
import type { Arity, TargetSpec } from './target-spec.js';

/** Largest k for `random` and `junta`, whose truth tables have 2^k entries. */
export const MAX_RANDOM_BITS = 20;

export interface CreateTargetOptions {
  /** Input bits n. Required; 1 ≤ n ≤ 2^20. */
  n: number;
  /** Seed of the relevant coordinates and of random truth tables. Default 0. */
  seed?: number;
}

function bad(spec: string, message: string): never {
  throw new ConfigError([{ path: 'target', message: `${spec}: ${message}` }]);
}

/** A spec object as the text it stands for; a ConfigError where it is not one `parseTargetSpec` could return. */
function specText(spec: TargetSpec): string {
  try {
    return formatTargetSpec(spec);
  } catch {
    throw new ConfigError([
      {
        path: 'target',
        message: `expected a spec such as "parity:3", or an object parseTargetSpec returns, but got ${JSON.stringify(spec)}`,
      },
    ]);
  }
}

function relevantSet(text: string, arity: Arity, n: number, seed: number): number[] {
  if ('indices' in arity) {
    const out = arity.indices.find((i) => i >= n);
    if (out !== undefined) bad(text, `coordinate ${out} is outside [0, ${n})`);
    return arity.indices;
  }
  const k = resolveCount(arity.count, n);
  if (k < 0 || k > n) bad(text, `k = ${k} must be in [0, ${n}] at n = ${n}`);
  return createRng(seed).subset(n, k);
}

/** The target a spec names, on n bits. */
export function createTarget(spec: string | TargetSpec, options: CreateTargetOptions): BooleanTarget {
  // An object spec goes through the string parser too, so it gets the same checks (repeated or
  // negative indices, a fractional t, a table that is not 2^k bits).
  const parsed = parseTargetSpec(typeof spec === 'string' ? spec : specText(spec));
  const text = formatTargetSpec(parsed);
  const unknown = Object.keys(options ?? {}).find((key) => !['n', 'seed'].includes(key));
  if (unknown !== undefined) bad(text, unknownKeyMessage(unknown, ['n', 'seed']));
  const { n, seed = 0 } = options ?? ({} as CreateTargetOptions);
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 20)
    bad(text, `n must be an integer in [1, ${2 ** 20}], but got ${showValue(n)}`);
  if (!Number.isInteger(seed)) bad(text, `seed must be an integer, but got ${showValue(seed)}`);
  switch (parsed.family) {
    case 'expr':
      return expressionTarget(text, parsed.source, n);
    case 'table': {
      const k = Math.log2(parsed.bits.length);
      if (k > n) bad(text, `a table over ${k} bits needs n ≥ ${k}, but n = ${n}`);
      const table = Float64Array.from(parsed.bits, (c) => (c === '1' ? -1 : 1));
      return tableTarget('table', { spec: text, n, relevant: Array.from({ length: k }, (_, j) => j) }, table);
    }
    case 'majority': {
      const relevant =
        parsed.arity === null
          ? createRng(seed).subset(n, n % 2 === 1 ? n : n - 1)
          : relevantSet(text, parsed.arity, n, seed);
      if (relevant.length % 2 === 0) bad(text, `majority needs an odd number of bits, but k = ${relevant.length}`);
      return thresholdTarget('majority', { spec: text, n, relevant }, (relevant.length + 1) / 2);
    }
    case 'threshold': {
      const relevant = relevantSet(text, parsed.arity, n, seed);
      if (parsed.t < 1 || parsed.t > relevant.length)
        bad(text, `t = ${parsed.t} must be in [1, k = ${relevant.length}]`);
      return thresholdTarget('threshold', { spec: text, n, relevant }, parsed.t);
    }
    case 'and':
    case 'or': {
      const relevant = relevantSet(text, parsed.arity, n, seed);
      if (relevant.length < 1) bad(text, `${parsed.family} needs k ≥ 1`);
      return thresholdTarget(parsed.family, { spec: text, n, relevant }, parsed.family === 'and' ? relevant.length : 1);
    }
    case 'parity':
      return parityTarget({ spec: text, n, relevant: relevantSet(text, parsed.arity, n, seed) });
    case 'staircase': {
      const relevant = relevantSet(text, parsed.arity, n, seed);
      if (relevant.length < 1) bad(text, 'staircase needs k ≥ 1');
      return staircaseTarget({ spec: text, n, relevant });
    }
    case 'random':
    case 'junta': {
      const relevant = relevantSet(text, parsed.arity, n, seed);
      const k = relevant.length;
      if (k > MAX_RANDOM_BITS)
        bad(text, `${parsed.family} draws a truth table of 2^k entries; k must be ≤ ${MAX_RANDOM_BITS}, but got ${k}`);
      if (parsed.family === 'junta' && k < 1) bad(text, 'junta needs k ≥ 1');
      const table = parsed.family === 'junta' ? balancedJuntaTable(k, seed) : randomTable(k, seed);
      return tableTarget(parsed.family, { spec: text, n, relevant }, table, { seed });
    }
  }
}
