import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import type { SweepRow } from './align-width-sweep/report.js';

describe('learnability run align-width-sweep', () => {
  it('trains every rule per width from one θ₀ on two workers, scores alignment against backprop, writes figures and tables, and a repeat reuses the runs', () => {
    const out = mkdtempSync(join(tmpdir(), 'learnability-align-'));
    const args = [
      ...['run', 'align-width-sweep', '--settings', 'mnist,add', '--widths', '16', '--add-widths', '8'],
      ...['--mnist-steps', '4', '--add-steps', '2', '--workers', '2', '--threads', '1'],
      ...['--out', out, '--figures', join(out, 'fig'), '--json'],
    ];
    const first = cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('12 runs on 2 worker(s)');
    const r = JSON.parse(first.stdout) as { rows: SweepRow[] };
    const rules = ['backprop', 'align-ada', 'align-zero', 'fa', 'dfa', 'readout-only'];
    expect(r.rows.map((x) => `${x.setting}/${x.rule}`)).toEqual(
      ['mnist', 'add'].flatMap((setting) => rules.map((rule) => `${setting}/${rule}`)),
    );
    // At 4 and 2 steps no rule diverges, so every check below runs on every row.
    expect(r.rows.map((x) => x.status)).toEqual(r.rows.map(() => 'completed'));
    for (const row of r.rows) {
      // Backprop is the reference; readout-only's hidden matrices never move (no ΔWᵀΔW to compare).
      if (row.rule === 'backprop' || row.rule === 'readout-only') expect(row.alignment).toBeNull();
      else expect(row.alignment).toBeGreaterThan(0);
    }
    expect(
      r.rows.filter((x) => x.setting === 'mnist').every((x) => x.testAccuracy !== null && x.testMse === null),
    ).toBe(true);
    expect(
      r.rows.filter((x) => x.setting === 'add').every((x) => x.testAccuracy === null && (x.testMse ?? 0) > 0),
    ).toBe(true);
    for (const f of [
      'align-width-performance.svg',
      'align-width-performance.png',
      'align-width-alignment.svg',
      'align-width-alignment.png',
      'align-width-sweep.json',
    ])
      expect(existsSync(join(out, 'fig', f))).toBe(true);
    expect(readFileSync(join(out, 'align-width-sweep-table.md'), 'utf8')).toContain(
      '| width | backprop | align-ada | align-zero | fa | dfa | readout-only |',
    );
    const again = cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/already done/g)).toHaveLength(12);
    const timeless = (rows: SweepRow[]) => rows.map(({ wallSeconds, stepsPerSecond, ...row }) => row);
    expect(timeless((JSON.parse(again.stdout) as { rows: SweepRow[] }).rows)).toEqual(timeless(r.rows));
  });

  it('--backend auto chooses one backend here, as run does, for every run and the measurement; a repeat finds its runs', () => {
    const out = mkdtempSync(join(tmpdir(), 'learnability-align-auto-'));
    const tiny = ['--settings', 'add', '--add-widths', '8', '--add-steps', '2', '--rules', 'fa', '--threads', '1'];
    const args = ['run', 'align-width-sweep', ...tiny, '--backend', 'auto', '--out', out, '--json'];
    const r = cli(args);
    expect(r.code, r.stderr).toBe(0);
    const chosen = /^auto chose (\w+): /m.exec(r.stderr)?.[1];
    expect(['wasm', 'webgpu']).toContain(chosen);
    expect((JSON.parse(r.stdout) as { backend: string }).backend).toBe(chosen);
    const records = readdirSync(join(out, 'records')).filter((f) => f.endsWith('.jsonl'));
    expect(records).toHaveLength(2);
    for (const f of records) {
      const start = JSON.parse(readFileSync(join(out, 'records', f), 'utf8').split('\n')[0] as string);
      expect([start.backend, start.config.backend]).toEqual([chosen, chosen]);
    }
    // The runs' ids are the plan's, not the choice's: whatever auto picks again, they are found.
    const again = cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/already done/g)).toHaveLength(2);
  });

  it('names unknown rules and settings together', () => {
    const r = cli(['run', 'align-width-sweep', '--rules', 'sgd', '--settings', 'cifar']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--settings: unknown value "cifar"; known: mnist, mnist-small, add; --rules: unknown value "sgd"; known: backprop, align-ada, align-ada-frozen, align-zero, fa, dfa, readout-only',
    );
  });
});
