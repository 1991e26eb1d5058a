import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';

/** The tables without their first line (the command line and the wall time). */
const tablesOf = (out: string) =>
  readFileSync(join(out, 'inal-learnability-table.md'), 'utf8').split('\n').slice(1).join('\n');

describe('learnability run inal-learnability', () => {
  it('gives the same tables on 2 pool workers as on 1, and a re-run reuses the finished records', () => {
    // Online SGD alone (noisy GD's full batches of 2,048 take seconds a step on cpu).
    const tiny = ['--targets', 'parity:3,majority', '--n', '8', '--inits', '2', '--trainers', 'sgd'];
    const scale = [...tiny, '--sgd-steps', '50', '--replicas', '2', '--backend', 'cpu'];
    const outs = [1, 2].map((workers) => {
      const out = mkdtempSync(join(tmpdir(), `learnability-inal-w${workers}-`));
      const r = cli(['run', 'inal-learnability', ...scale, '--workers', String(workers), '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`2 runs on ${workers} worker(s)`);
      // The figures compile without vega-lite's warnings (an opacity over a nominal field printed one).
      expect(r.stderr).not.toContain('WARN');
      return out;
    });
    const [one, two] = outs as [string, string];
    expect(tablesOf(two)).toBe(tablesOf(one));
    // Every (target, n) has its SGD cell: the runs reached the report by their keys.
    for (const row of ['parity:3 | 8', 'majority | 8'])
      expect(tablesOf(one)).toMatch(
        new RegExp(`\\| ${row} \\|.*\\| — \\| \\d[.\\d]*( \\([12]/2 at step (≤ )?\\d+\\))? \\|`),
      );
    const again = cli(['run', 'inal-learnability', ...scale, '--workers', '2', '--out', one]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.match(/already done/g)).toHaveLength(2);
    expect(tablesOf(one)).toBe(tablesOf(two));
    // A run killed before its end line resumes from its checkpoint, and says so, as sweep does.
    const [first] = readdirSync(join(one, 'records')).filter((f) => f.endsWith('.jsonl'));
    const record = join(one, 'records', first as string);
    writeFileSync(record, readFileSync(record, 'utf8').replace(/^\{"type":"end".*\n/m, ''));
    const resumed = cli(['run', 'inal-learnability', ...scale, '--out', one]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/: completed \(resumed\), /);
    expect(resumed.stdout.match(/already done/g)).toHaveLength(1);
  });

  it('reports every bad flag at once, by name, from the schema', () => {
    const r = cli(['run', 'inal-learnability', '--n', '0,8', '--trainers', 'adam', '--workers', 'two']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--n: expected a non-empty list of integers in [1, 1048576]');
    expect(r.stderr).toContain('--trainers: unknown value "adam"; known: noisy-gd, sgd');
    expect(r.stderr).toContain('--workers: expected an integer in [1, 64], but got "two"');
    // Targets are checked as flags: one that does not parse, one with more bits than an n, a repeated n.
    const targets = cli(['run', 'inal-learnability', '--targets', 'parity:3,foo:1,and:n-5', '--n', '2,8', '--dry-run']);
    expect(targets.code).toBe(2);
    expect(targets.stderr).toContain('--targets: unknown family "foo" in "foo:1"');
    expect(targets.stderr).toContain('--n: parity:3 needs n ≥ 3, but --n has 2;');
    expect(targets.stderr).toContain('--n: and:n-5 needs n ≥ 5, but --n has 2');
    expect(cli(['run', 'inal-learnability', '--n', '8,16,8', '--dry-run']).stderr).toContain(
      '--n: 8 is listed twice; give each value once',
    );
    const help = cli(['run', 'inal-learnability', '--help']);
    expect(help.stdout).toMatch(/--noisy-steps N\s+noisy GD steps, full batch of 2048 examples \(default 400\)/);
    expect(help.stdout).toMatch(/--workers N\s+worker threads/);
  });
});
