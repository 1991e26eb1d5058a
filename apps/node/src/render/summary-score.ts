import { median } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { fmt } from './table.js';

/**
 * A finished run's score in a progress line: `75% learned, test acc 0.981`, or for a regression
 * run (every replica evaluated, none with an accuracy) its median test MSE, since learned-at-step
 * and the accuracy threshold apply to accuracy tasks only.
 */
export function summaryScore(s: RunSummary): string {
  const regression =
    s.replicas.length > 0 && s.replicas.every((r) => r.testAccuracy === null && Number.isFinite(r.testError));
  if (regression) return `test MSE ${fmt(median(s.replicas.map((r) => r.testError)), 4)}`;
  // Rounded down: 199 of 200 replicas is 99% learned, not 100%.
  return `${Math.floor(s.successRate * 100)}% learned, test acc ${fmt(s.testAccuracy, 3)}`;
}
