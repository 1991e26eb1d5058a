/**
 * A Boolean target f: {±1}^n → {±1} (docs/papers.md §3). Convention: −1 is "true" (bit 1 in the 0/1
 * view), so parity is Π x_i, AND is −1 only when every relevant bit is −1, and a truth table's
 * '1' entries are −1. Targets are plain functions of one input row; tasks and the estimators
 * evaluate them on the host.
 */

/** The target families a spec can name (target-spec.ts). */
export type TargetFamily =
  | 'parity'
  | 'majority'
  | 'staircase'
  | 'junta'
  | 'and'
  | 'or'
  | 'threshold'
  | 'random'
  | 'expr'
  | 'table';

export interface BooleanTarget {
  /** The spec it was made from, e.g. `parity:2`. */
  readonly spec: string;
  readonly family: TargetFamily;
  /** Input bits. */
  readonly n: number;
  /** The coordinates f depends on, increasing, when known (every family but `expr`); null otherwise. */
  readonly relevant: readonly number[] | null;
  /**
   * For a symmetric function of its relevant bits: its value when m of them are −1, for
   * m = 0..k (parity, majority, AND, OR, threshold). null otherwise.
   */
  readonly symmetric: readonly number[] | null;
  /** f(x) ∈ {−1, +1} for the ±1 row of `x` that starts at `offset`. */
  valueAt(x: ArrayLike<number>, offset: number): number;
  /** Plain-data description (for run records). */
  describe(): Record<string, unknown>;
}

/** Labels for `count` ±1 rows of `x` (row-major, n per row). */
export function evaluateRows(target: BooleanTarget, x: ArrayLike<number>, count: number): Float32Array {
  const y = new Float32Array(count);
  for (let r = 0; r < count; r++) y[r] = target.valueAt(x, r * target.n);
  return y;
}

/** Largest k for which a truth table over k variables is built (2^k doubles). */
export const MAX_TABLE_BITS = 24;

/**
 * The truth table of f restricted to `variables` (default: all n), with every other coordinate +1:
 * entry i has x_{variables[j]} = −1 exactly when bit j of i is set (walsh-hadamard.ts convention).
 * For a junta and its relevant set this is the whole function.
 */
export function truthTable(target: BooleanTarget, variables: readonly number[] = allBits(target.n)): Float64Array {
  const k = variables.length;
  // An index past n was read as a bit the target never sees, and the table came out wrong.
  const bad = variables.find((v, i) => !Number.isInteger(v) || v < 0 || v >= target.n || variables.indexOf(v) !== i);
  if (bad !== undefined)
    throw new RangeError(
      `truthTable: variables must be distinct integer bit indexes in [0, ${target.n - 1}], but got ${JSON.stringify(variables)}`,
    );
  if (k > MAX_TABLE_BITS)
    throw new RangeError(`truthTable: at most ${MAX_TABLE_BITS} variables (2^${MAX_TABLE_BITS} entries), but got ${k}`);
  const row = new Float64Array(target.n).fill(1);
  const table = new Float64Array(2 ** k);
  for (let i = 0; i < table.length; i++) {
    for (let j = 0; j < k; j++) row[variables[j] as number] = (i >>> j) & 1 ? -1 : 1;
    table[i] = target.valueAt(row, 0);
  }
  return table;
}

/** [0, 1, …, n − 1]. */
export function allBits(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Number of −1 entries of the row at `offset` among `variables`. */
export function countNegatives(x: ArrayLike<number>, offset: number, variables: readonly number[]): number {
  let m = 0;
  for (const i of variables) if ((x[offset + i] as number) < 0) m++;
  return m;
}
