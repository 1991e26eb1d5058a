/**
 * The id of a run: what names its record (`runs/<id>.jsonl`) in the CLI and its download in the lab.
 */
import { assert, assertInt, showValue } from '@learnability/core';

/**
 * `sparse-parity-20261123T060102-s3`: the run's `name` (a preset or experiment), the UTC time
 * `now` to the second (default: the current time) and the `seed`.
 */
export function runIdFor(name: string, seed: number, now: Date = new Date()): string {
  // An invalid date threw toISOString's bare RangeError; a NaN seed named the run `…-sNaN`.
  assertInt('runIdFor: seed', seed, 0);
  assert(
    now instanceof Date && !Number.isNaN(now.getTime()),
    () => `runIdFor: now must be a valid Date, but got ${now instanceof Date ? 'an invalid Date' : showValue(now)}`,
  );
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `${name}-${stamp}-s${seed}`;
}
