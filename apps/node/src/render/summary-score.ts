import { median } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { fmt, fmtAccuracy } from './table.js';

/**
 * A finished run's score in a progress line: `75% learned, test acc 0.981`, or for a regression
 * run (every replica evaluated, none with an accuracy) its median test MSE, since learned-at-step
 * and the accuracy threshold apply to accuracy tasks only.
 */
export function summaryScore(s: RunSummary): string {
  const regression =
    s.replicas.length > 0 && s.replicas.every((r) => r.testAccuracy === null && Number.isFinite(r.testError));
  if (regression) return `test MSE ${fmt(median(s.replicas.map((r) => r.testError)), 4)}`;
  return `${learnedPercent(s)}% learned, test acc ${fmtAccuracy(s.testAccuracy)}`;
}

/**
 * The share of replicas that learned, in whole percent rounded down (199 of 200 is 99%, not 100%),
 * from the counts: 58 / 200 as a float times 100 is 28.999…, which floors to 28.
 */
function learnedPercent(s: RunSummary): number {
  const n = s.replicas.length;
  if (n === 0) return Math.round(s.successRate * 100);
  return Math.floor((100 * s.replicas.filter((r) => r.learnedAtStep !== null).length) / n);
}
