import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

/** Median and spread of repeated measurements: core's summary, the one `benchBackend` gives too. */
export type Stats = SampleSummary;
export const stats = summarizeSamples;

/** "3,512 (3,301–3,700)" */
export function formatStats(s: Stats, digits = 0): string {
  const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** A ratio over rounds: "1.05×", or with several rounds "1.05× (0.86–1.20)"; "—" where there is none. */
export function formatRatio(r: Stats | null): string {
  if (r === null) return '—';
  return r.samples.length > 1
    ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
    : `${r.median.toFixed(2)}×`;
}
