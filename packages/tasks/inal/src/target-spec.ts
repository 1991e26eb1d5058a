/**
 * Target specs: one short string per Boolean target, for CLI flags and configs.
 *
 *   parity:<k>          χ_S, |S| = k                     parity:2, parity:n/2, parity:[0,5,9]
 *   majority[:<k>]      majority of k bits (k odd; default: all n bits, or n − 1 when n is even)
 *   staircase:<k>       sign(x₁ + x₁x₂ + … + x₁⋯x_k), a tie going to x₁ (so staircase:2 is x₁ alone)
 *   junta:<k>           a random balanced function that depends on all of its k bits
 *   and:<k>, or:<k>     −1 ("true") when all / any of the k bits are −1
 *   threshold:<k>:<t>   −1 when at least t of the k bits are −1
 *   random:<k>          a uniformly random function of k bits
 *   expr:<js>           a JS expression over x (±1 array) and n, e.g. expr:x[0]*x[1] or expr:x[0]<0&&x[3]<0
 *   table:<bits>        a truth table of 2^k characters 0/1 over x_0..x_{k−1}; '1' is −1 (bit j of the
 *                       row index set ↔ x_j = −1), so table:0110 is x_0·x_1
 *
 * <k> is an integer, an expression in n (`n`, `n/2`, `n-1`, `sqrt(n)`, `log2(n)`; rounded), or an
 * explicit list of coordinates `[i,j,…]`. Without a list the k coordinates are drawn from the seed
 * (`createRng(seed).subset(n, k)`, as the parity task does).
 */
import { ConfigError } from '@learnability/core';
import type { TargetFamily } from './boolean-target.js';

/** How many relevant coordinates, or which. */
export type Arity = { count: string } | { indices: number[] };

export type TargetSpec =
  | { family: 'parity' | 'staircase' | 'junta' | 'and' | 'or' | 'random'; arity: Arity }
  | { family: 'majority'; arity: Arity | null }
  | { family: 'threshold'; arity: Arity; t: number }
  | { family: 'expr'; source: string }
  | { family: 'table'; bits: string };

/** Every family a target spec can name, in the order the grammar lists them. */
export const TARGET_FAMILIES: readonly TargetFamily[] = [
  'parity',
  'majority',
  'staircase',
  'junta',
  'and',
  'or',
  'threshold',
  'random',
  'expr',
  'table',
];

const GRAMMAR =
  'expected parity:<k>, majority[:<k>], staircase:<k>, junta:<k>, and:<k>, or:<k>, threshold:<k>:<t>, random:<k>, expr:<js> or table:<bits>, with <k> an integer, n, n/2, n-1, sqrt(n), log2(n) or [i,j,…]';

const COUNT = /^(\d+|n|n\/\d+|n-\d+|sqrt\(n\)|log2\(n\))$/;

function fail(text: string, why: string): never {
  throw new ConfigError([{ path: 'target', message: `${why} in "${text}"; ${GRAMMAR}` }]);
}

function parseArity(text: string, arg: string | undefined): Arity {
  if (arg === undefined || arg === '') fail(text, 'missing <k>');
  if (arg.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(arg);
    } catch {
      fail(text, `"${arg}" is not a list of coordinates`);
    }
    if (!Array.isArray(parsed) || !parsed.every((i) => Number.isInteger(i) && (i as number) >= 0))
      fail(text, `"${arg}" is not a list of coordinates`);
    const indices = [...new Set(parsed as number[])].sort((a, b) => a - b);
    if (indices.length !== parsed.length) fail(text, `"${arg}" repeats a coordinate`);
    return { indices };
  }
  if (!COUNT.test(arg)) fail(text, `"${arg}" is not a valid <k>`);
  return { count: arg };
}

/** Parses a spec string; a bad spec is a ConfigError at path `target` that shows the grammar. */
export function parseTargetSpec(text: string): TargetSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const family = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? undefined : trimmed.slice(colon + 1);
  switch (family) {
    case 'expr':
      if (rest === undefined || rest.trim() === '') fail(text, 'missing expression');
      return { family, source: rest };
    case 'table':
      if (rest === undefined || !/^[01]+$/.test(rest) || !Number.isInteger(Math.log2(rest.length)))
        fail(text, 'the table must be 2^k characters 0 or 1');
      return { family, bits: rest };
    case 'majority':
      return { family, arity: rest === undefined ? null : parseArity(text, rest) };
    case 'threshold': {
      const parts = (rest ?? '').split(':');
      if (parts.length !== 2 || !/^\d+$/.test(parts[1] ?? '')) fail(text, 'threshold needs <k>:<t> with an integer t');
      return { family, arity: parseArity(text, parts[0]), t: Number(parts[1]) };
    }
    case 'parity':
    case 'staircase':
    case 'junta':
    case 'and':
    case 'or':
    case 'random':
      return { family, arity: parseArity(text, rest) };
    default:
      return fail(text, `unknown family "${family}"`);
  }
}

/** The spec as a string (`parseTargetSpec(formatTargetSpec(s))` equals s). */
export function formatTargetSpec(spec: TargetSpec): string {
  const arity = (a: Arity) => ('count' in a ? a.count : `[${a.indices.join(',')}]`);
  switch (spec.family) {
    case 'expr':
      return `expr:${spec.source}`;
    case 'table':
      return `table:${spec.bits}`;
    case 'majority':
      return spec.arity === null ? 'majority' : `majority:${arity(spec.arity)}`;
    case 'threshold':
      return `threshold:${arity(spec.arity)}:${spec.t}`;
    default:
      return `${spec.family}:${arity(spec.arity)}`;
  }
}

/** The number of relevant coordinates a count expression gives at n (rounded to an integer). */
export function resolveCount(count: string, n: number): number {
  if (/^\d+$/.test(count)) return Number(count);
  if (count === 'n') return n;
  if (count === 'sqrt(n)') return Math.round(Math.sqrt(n));
  if (count === 'log2(n)') return Math.round(Math.log2(n));
  const [, op, v] = /^n([/-])(\d+)$/.exec(count) ?? [];
  if (op === '/') return Math.max(1, Math.round(n / Number(v)));
  if (op === '-') return n - Number(v);
  throw new RangeError(`resolveCount: "${count}" is not a count expression`);
}
