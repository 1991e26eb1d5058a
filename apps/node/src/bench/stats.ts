/** How the benches print core's `summarizeSamples` (median and spread of repeated measurements). */
import type { SampleSummary } from '@learnability/core';

/** "3,512 (3,301–3,700)" */
export function formatStats(s: SampleSummary, digits = 0): string {
  const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** A ratio over rounds: "1.05×", or with several rounds "1.05× (0.86–1.20)"; "—" where there is none. */
export function formatRatio(r: SampleSummary | null): string {
  if (r === null) return '—';
  return r.samples.length > 1
    ? `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`
    : `${r.median.toFixed(2)}×`;
}
