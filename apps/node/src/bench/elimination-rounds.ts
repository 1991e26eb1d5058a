/**
 * `bench elimination`'s rounds: each size timed ours, then M4RI, then numpy, seconds apart, and
 * the ratio M4RI ÷ ours taken within that round; over several rounds a size reports the median of
 * its rounds' ratios and their range, and each side's solves pooled. On a machine whose speed
 * drifts (or whose cores differ, the process and its reference child landing on either), two
 * timings half a minute apart can differ by more than the ratio measured.
 */
import type { ReferenceTiming } from '@learnability/parity/bench';
import { stats } from './stats.js';
import type { Stats } from './stats.js';

/** One size's timing by one side (ours or a reference driver): what the sides share. */
export interface SizeTiming {
  n: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number[];
  recovered: boolean;
}

/** A size over every round: the first round's fields, every round's solves, and whether all recovered the secret. */
export function pooledTiming<T extends SizeTiming>(rounds: readonly T[]): T {
  const s = stats(rounds.flatMap((r) => r.samples));
  return {
    ...(rounds[0] as T),
    medianMs: s.median,
    minMs: s.min,
    maxMs: s.max,
    samples: s.samples,
    recovered: rounds.every((r) => r.recovered),
  };
}

/**
 * The ratio M4RI ÷ ours of each round (> 1: ours is faster), for one size: `ours[r]` and `m4ri[r]`
 * are round r's timings, m4ri null where that round has none. Null where no round has both.
 */
export function roundRatios(ours: readonly SizeTiming[], m4ri: readonly (ReferenceTiming | null)[]): Stats | null {
  const ratios = ours.flatMap((o, r) => {
    const m = m4ri[r];
    return m ? [m.medianMs / o.medianMs] : [];
  });
  return ratios.length > 0 ? stats(ratios) : null;
}
