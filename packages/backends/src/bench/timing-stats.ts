/**
 * Summary of repeated measurements.
 */
import { median } from '@learnability/core';

/** Median, extremes and every sample, in the unit of the measurement. */
export interface TimingStats {
  median: number;
  min: number;
  max: number;
  /** In the order measured. */
  samples: number[];
}

/** Summarises `samples` (at least one). */
export function summarize(samples: readonly number[]): TimingStats {
  if (samples.length === 0) throw new Error('summarize: expected at least one sample, got none');
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (i: number): number => sorted[i] ?? Number.NaN;
  return { median: median(sorted), min: at(0), max: at(sorted.length - 1), samples: [...samples] };
}
