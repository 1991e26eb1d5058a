/**
 * `bench elimination`'s rounds: each size timed ours, then M4RI, then numpy, seconds apart, and
 * the ratio M4RI ÷ ours taken within that round; over several rounds a size reports the median of
 * its rounds' ratios and their range, and each side's solves pooled. On a machine whose speed
 * drifts, two timings half a minute apart can differ by more than the ratio measured. (Where its
 * cores differ, the process and its reference child can still land on either: only pinning them
 * to one core helps there, and the range shows it.)
 */
import type { ReferenceTiming } from '@learnability/parity/bench';
import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

/** One size's timing by one side (ours or a reference driver): what the sides share. */
export type SizeTiming = Pick<ReferenceTiming, 'n' | 'medianMs' | 'minMs' | 'maxMs' | 'samples' | 'recovered'>;

/** A size over every round: the first round's fields, every round's solves, and whether all recovered the secret. */
export function pooledTiming<T extends SizeTiming>(rounds: readonly T[]): T {
  const s = summarizeSamples(rounds.flatMap((r) => r.samples));
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
export function roundRatios(
  ours: readonly SizeTiming[],
  m4ri: readonly (ReferenceTiming | null)[],
): SampleSummary | null {
  const ratios = ours.flatMap((o, r) => {
    const m = m4ri[r];
    return m ? [m.medianMs / o.medianMs] : [];
  });
  return ratios.length > 0 ? summarizeSamples(ratios) : null;
}

/** One reference over the rounds: per size, each round's timing (null where it did not run); its method; why it stopped. */
export interface ReferenceSeries<M> {
  runs: (ReferenceTiming | null)[][];
  method: M | null;
  stopped: string | null;
}

/**
 * Times size `i` with a reference unless it has stopped (`announce` first, as a status line): one
 * that is not installed, whose driver does not build, or that fails, stops (said once, not tried
 * again); the rounds before it stand.
 */
export async function timeReference<M, R extends { available: true; results: ReferenceTiming[] }>(
  series: ReferenceSeries<M>,
  i: number,
  call: () => Promise<R | { available: false; reason: string }>,
  methodOf: (r: R) => M,
  announce: () => void = () => {},
): Promise<void> {
  let timing: ReferenceTiming | null = null;
  if (series.stopped === null) {
    announce();
    try {
      const r = await call();
      if (r.available) [timing, series.method] = [r.results[0] ?? null, methodOf(r)];
      else series.stopped = r.reason;
    } catch (error) {
      series.stopped = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed';
    }
  }
  series.runs[i]?.push(timing);
}

/** A reference's figures pooled per size over the rounds it ran, or why it never ran; and why it stopped, if part-way. */
export function summarised<M>(series: ReferenceSeries<M>) {
  if (series.method === null) return { available: false as const, reason: series.stopped ?? 'not run' };
  const results = series.runs.flatMap((byRound) => {
    const ran = byRound.filter((r): r is ReferenceTiming => r !== null);
    return ran.length > 0 ? [pooledTiming(ran)] : [];
  });
  return { available: true as const, ...series.method, results, stoppedPartWay: series.stopped };
}
