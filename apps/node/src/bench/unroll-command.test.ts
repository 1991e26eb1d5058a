import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import type { UnrollRow } from './unroll-command.js';

describe('learnability bench unroll', () => {
  it('gives each depth a plain and a checkpointed gradient, with the repeats timed and the checkpointed peak under half the plain one', () => {
    const r = cli([
      'bench',
      'unroll',
      '--depths',
      '16',
      '--batch',
      '4',
      '--repeats',
      '2',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { rows } = JSON.parse(r.stdout) as { rows: UnrollRow[] };
    expect(rows.map((x) => [x.depth, x.checkpointEvery])).toEqual([
      [16, 0],
      [16, 4],
    ]);
    for (const row of rows) expect(row.milliseconds.samples).toHaveLength(2);
    const [plain, checkpointed] = rows as [UnrollRow, UnrollRow];
    expect(checkpointed.peakMiB).toBeGreaterThan(0);
    expect(checkpointed.peakMiB).toBeLessThan(plain.peakMiB / 2);
  });
});
