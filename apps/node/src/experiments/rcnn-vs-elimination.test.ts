import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import type { Results } from './rcnn-vs-elimination/results.js';

describe('learnability run rcnn-vs-elimination', () => {
  it("stops a pool run at its wall-clock budget and reports it as not learned for lack of time; '' skips a part", () => {
    const out = mkdtempSync(join(tmpdir(), 'learnability-rcnn-'));
    const r = cli([
      'run',
      'rcnn-vs-elimination',
      ...['--sizes', '10', '--k', '5', '--full-sizes', '', '--in-context-steps', '0'],
      ...['--replicas', '1', '--max-steps', '1000000', '--max-seconds', '1', '--trials', '5', '--backend', 'cpu'],
      ...['--workers', '2', '--out', out, '--json'],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as Results & { command: string };
    expect(results.direct.map((d) => [d.family, d.n, d.k])).toEqual([['sparse', 10, 5]]);
    // The recorded command pastes back whole: the empty value keeps its quotes.
    expect(results.command).toContain("--full-sizes '' --in-context-steps 0");
    for (const run of [results.direct[0]?.rcnn, results.direct[0]?.dense]) {
      expect(run?.ended).toBe('time');
      expect(run?.status).toBe('stopped');
      expect(run?.steps).toBeLessThan(1_000_000);
    }
    expect(results.inContext).toBeNull();
    const table = readFileSync(join(out, 'rcnn-vs-elimination-table.md'), 'utf8');
    expect(table).toMatch(/\| sparse \| 10 \| 5 \|.*\| > [\d,]+ \(0\/1, time\) \|/);
    expect(table).not.toContain('In-context');
  });

  it('--rcnn-trainer sgd trains both RCNN runs with plain SGD, and leaves the MLP its own flag', () => {
    const r = cli([
      'run',
      'rcnn-vs-elimination',
      ...['--rcnn-trainer', 'sgd', '--sizes', '8', '--full-sizes', '', '--dry-run', '--json'],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { runs } = JSON.parse(r.stdout) as { runs: { key: string; config: { trainer: object } }[] };
    const sgd = { name: 'sgd', lr: 0.03, momentum: 0, weightDecay: 0, loss: 'mse' };
    expect(Object.fromEntries(runs.map((p) => [p.key, p.config.trainer]))).toEqual({
      'rcnn sparse n=8': sgd,
      'dense sparse n=8': expect.objectContaining({ name: 'adam', lr: 0.003, loss: 'mse' }),
      'in-context': sgd,
    });
  });

  it('checks flags across each other', () => {
    const r = cli(['run', 'rcnn-vs-elimination', '--sizes', '4,8', '--k', '5', '--delta', '1.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--delta: expected a number > 0 and ≤ 1, but got 1.5; see learnability run rcnn-vs-elimination --help',
    );
    const small = cli(['run', 'rcnn-vs-elimination', '--sizes', '4,8', '--k', '5']);
    expect(small.stderr).toContain('--sizes: every sparse size must be ≥ k = 5, but got 4');
    // Flags that no chosen run reads are refused, where they were dropped without a word.
    const unread = cli([
      'run',
      'rcnn-vs-elimination',
      '--sizes',
      '',
      '--full-sizes',
      '',
      '--k',
      '4',
      '--mlp-trainer',
      'sgd',
    ]);
    expect(unread.code).toBe(2);
    expect(unread.stderr).toContain(
      "--k: sets the sparse parities' degree, but --sizes is empty (no sparse parity runs); drop --k or give --sizes; --mlp-trainer: trains the MLP on the direct parities, but --sizes and --full-sizes are empty; drop it or give one of them",
    );
    // No size and no in-context run: an experiment of nothing, which had written empty tables.
    const empty = cli(['run', 'rcnn-vs-elimination', '--sizes', '', '--full-sizes', '', '--in-context-steps', '0']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(
      'nothing to run: --sizes and --full-sizes are empty and --in-context-steps is 0; give one of them',
    );
  });
});
