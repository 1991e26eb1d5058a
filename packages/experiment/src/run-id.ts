/**
 * The id of a run: what names its record (`runs/<id>.jsonl`) in the CLI and its download in the lab.
 */

/**
 * `sparse-parity-20261123T060102-s3`: the run's `name` (a preset or experiment), the UTC time
 * `now` to the second (default: the current time) and the `seed`.
 */
export function runIdFor(name: string, seed: number, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `${name}-${stamp}-s${seed}`;
}
