import { median } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { fmt, fmtAccuracy } from './table.js';

/**
 * A finished run's score in a progress line: `75% learned, test acc 0.981`, or for a regression
 * run (no replica with an accuracy, some with a finite test MSE) the median test MSE of those,
 * since learned-at-step and the accuracy threshold apply to accuracy tasks only. (A replica that
 * diverged before its first evaluation has neither: it must not make a regression run read as a
 * classification one.)
 */
export function summaryScore(s: RunSummary): string {
  const errors = s.replicas.map((r) => r.testError).filter(Number.isFinite);
  const regression = errors.length > 0 && s.replicas.every((r) => r.testAccuracy === null);
  if (regression) return `test MSE ${fmt(median(errors), 4)}`;
  return `${learnedPercent(s)}% learned, test acc ${fmtAccuracy(s.testAccuracy)}`;
}

/**
 * The share of replicas (or, with no network, stream learners) that learned, in whole percent
 * rounded down (199 of 200 is 99%, not 100%), from the counts: 58 / 200 as a float times 100 is
 * 28.999…, which floors to 28.
 */
function learnedPercent(s: RunSummary): number {
  const verdicts =
    s.replicas.length > 0
      ? s.replicas.map((r) => r.learnedAtStep !== null)
      : s.learners.map((l) => l.learnedAtSample !== null);
  if (verdicts.length === 0) return 0;
  return Math.floor((100 * verdicts.filter(Boolean).length) / verdicts.length);
}
