/**
 * The median of a list of numbers: the middle value, or the mean of the middle two for an even
 * count. One definition for every summary in the project (learned-at steps, timings, sweeps).
 */

/** The median of `values` (any order; not modified); NaN when there are none or any is NaN, as in NumPy. */
export function median(values: readonly number[]): number {
  // A NaN would make the sort's comparisons inconsistent, and the answer depend on the order.
  if (values.length === 0 || values.some(Number.isNaN)) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median time to an event some never reached (a step or a sample count at which a replica
 * learned; null for one that did not), those counted as never (+∞): null unless more than half
 * reached it. Over the reached ones alone, 3 of 8 learning early would read as easier than 8 of 8.
 * A NaN among them gives null too (`median` is NaN then): pass times, not failed measurements.
 */
export function censoredMedian(values: readonly (number | null)[]): number | null {
  const m = median(values.map((v) => v ?? Number.POSITIVE_INFINITY));
  return Number.isFinite(m) ? m : null;
}
