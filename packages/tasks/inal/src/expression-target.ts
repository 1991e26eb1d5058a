/**
 * A target written as a JavaScript expression over `x` (the input row as an array of ±1, x[0] first)
 * and `n`. A number result is read by its sign (> 0 → +1, < 0 → −1); a boolean `true` means −1
 * ("true" in the ±1 convention), `false` means +1. Zero, NaN and other results are errors.
 *
 * The expression runs as code (like a config file's author could write any program), in strict
 * mode, with nothing but `x`, `n` and the globals in scope.
 */
import { ConfigError, createRng, LearnabilityError } from '@learnability/core';
import type { BooleanTarget } from './boolean-target.js';

type Compiled = (x: number[], n: number) => unknown;

function compile(source: string): Compiled {
  try {
    return new Function('x', 'n', `"use strict"; return (${source});`) as Compiled;
  } catch (e) {
    throw new ConfigError([
      { path: 'target', message: `expr "${source}" does not compile: ${e instanceof Error ? e.message : String(e)}` },
    ]);
  }
}

/** An input row for a message: `[1, -1, …]`, the first 16 values. */
const shown = (x: readonly number[]) => (x.length <= 16 ? `[${x.join(', ')}]` : `[${x.slice(0, 16).join(', ')}, …]`);

function toSign(value: unknown, source: string, x: readonly number[]): number {
  if (value === true) return -1;
  if (value === false) return 1;
  if (typeof value === 'number' && value !== 0 && !Number.isNaN(value)) return value > 0 ? 1 : -1;
  throw new LearnabilityError(
    `expr "${source}" gave ${String(value)} at x = ${shown(x)}; it must give a nonzero number or a boolean`,
  );
}

/** The target of `expr:<source>` on n bits. Checks the expression on up to 256 inputs first. */
export function expressionTarget(spec: string, source: string, n: number): BooleanTarget {
  const fn = compile(source);
  const row = new Array<number>(n).fill(1);
  const valueAt = (x: ArrayLike<number>, offset: number): number => {
    for (let i = 0; i < n; i++) row[i] = (x[offset + i] as number) < 0 ? -1 : 1;
    let value: unknown;
    try {
      value = fn(row, n);
    } catch (e) {
      // A runtime error of the expression itself (x.foo.bar): say it is the expression's, with the input.
      throw new LearnabilityError(
        `expr "${source}" failed at x = ${shown(row)}: ${e instanceof Error ? e.message : String(e)}; it reads x (an array of ±1, x[0] first) and n`,
      );
    }
    return toSign(value, source, row);
  };
  // Fail at creation, with the input, rather than in the middle of a run.
  const probe = new Float32Array(n);
  const rng = createRng(0).fork('expr-check');
  for (let t = 0; t < 256; t++) {
    rng.signs(probe);
    try {
      valueAt(probe, 0);
    } catch (e) {
      throw new ConfigError([{ path: 'target', message: e instanceof Error ? e.message : String(e) }]);
    }
  }
  return {
    spec,
    family: 'expr',
    n,
    relevant: null,
    symmetric: null,
    valueAt,
    describe: () => ({ spec, family: 'expr', n, source }),
  };
}
