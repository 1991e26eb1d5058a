import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import { setsBesideFlags, setsFor } from './looped-vs-standard.js';
import { comparisonRows } from './looped-vs-standard/report.js';

interface Results {
  params: { looped: number; standard: number; perBlock: number; standardBlocks: number };
  errorByExamples: Record<string, number[]>;
  errorByLoops: { trainedLoops: number; byK: Record<string, number[]> };
  training: { looped: { record: string; steps: number }; standard: { record: string; steps: number } };
}

describe('learnability run looped-vs-standard', () => {
  it('trains both presets on two workers, reports 12D² + 13D per block and curves for every learner, and a repeat reuses the runs; looped.… sets reach the looped model alone', () => {
    const out = mkdtempSync(join(tmpdir(), 'learnability-looped-'));
    const args = [
      ...['run', 'looped-vs-standard', '--steps', '4', '--workers', '2', '--threads', '1'],
      ...['--set', 'run.evalEvery=2', '--set', 'run.testSize=8', '--set', 'run.batchSize=8'],
      ...['--set', 'looped.model.loops=3', '--eval-prompts', '16', '--max-loops', '10'],
      ...['--out', out, '--figures', join(out, 'fig'), '--json'],
    ];
    const first = cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('2 runs on 2 worker(s)');
    const r = JSON.parse(first.stdout) as Results;
    expect(r.params.perBlock).toBe(12 * 32 * 32 + 13 * 32);
    expect(r.params.standardBlocks).toBe(4 * r.params.perBlock);
    expect([r.training.looped.steps, r.training.standard.steps]).toEqual([4, 4]);
    expect(Object.keys(r.errorByExamples)).toEqual([
      'looped (1 block × 3 loops)',
      'standard (4 layers)',
      'least-squares',
      'averaging',
      '3-nn',
    ]);
    for (const c of Object.values(r.errorByExamples)) expect(c).toHaveLength(9);
    expect(r.errorByExamples['least-squares']?.[8]).toBeLessThan(1e-8); // exact from k = d = 4
    expect(r.errorByLoops.trainedLoops).toBe(3);
    expect(Object.values(r.errorByLoops.byK).every((c) => c.length === 10)).toBe(true);
    for (const f of ['error-vs-examples.svg', 'error-vs-examples.png', 'error-vs-loops.svg', 'error-vs-loops.png'])
      expect(existsSync(join(out, 'fig', `looped-vs-standard-${f}`))).toBe(true);
    expect(readFileSync(join(out, 'looped-vs-standard-table.md'), 'utf8')).toMatch(
      /^looped error at k=8 after t loops: t=1: /m,
    );
    const again = cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/already done/g)).toHaveLength(2);
    expect((JSON.parse(again.stdout) as Results).errorByExamples).toEqual(r.errorByExamples);
    // Fewer loops than the trained b leave no curve at b: refused by name, before anything trains
    // (a dry run says so too).
    const short = cli(args.map((a) => (a === '10' ? '2' : a)));
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('--max-loops: must be ≥ the trained loops b = 3, but got 2');
    expect(short.stderr).not.toContain('already done');
    const dry = cli([...args.map((a) => (a === '10' ? '2' : a)), '--dry-run']);
    expect(dry.stderr).toContain('--max-loops: must be ≥ the trained loops b = 3, but got 2');
  });

  it('names every bad flag at once', () => {
    const r = cli(['run', 'looped-vs-standard', '--steps', '0', '--eval-prompts', 'x', '--from', 'a.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown flag --from; --steps: expected an integer ≥ 1, but got 0; --eval-prompts: expected an integer ≥ 1, but got "x"',
    );
    // A valid config this experiment cannot evaluate is refused before anything trains.
    const out = mkdtempSync(join(tmpdir(), 'learnability-looped-'));
    const parity = cli([
      'run',
      'looped-vs-standard',
      '--set',
      'standard.task={"name":"in-context-parity"}',
      '--out',
      out,
    ]);
    expect(parity.code).toBe(2);
    expect(parity.stderr).toContain(
      'standard: needs a looped-transformer on in-context regression, but got looped-transformer on in-context-parity',
    );
    expect(existsSync(join(out, 'records'))).toBe(false);
  });
});

describe('setsFor', () => {
  it('gives a model its prefixed sets without the prefix, after the unprefixed sets every model gets', () => {
    const sets = ['run.batchSize=32', 'looped.model.loops=12', 'standard.model.layers=6', 'looped.run.steps=9'];
    expect(setsFor('looped', sets)).toEqual(['run.batchSize=32', 'model.loops=12', 'run.steps=9']);
    expect(setsFor('standard', sets)).toEqual(['run.batchSize=32', 'model.layers=6']);
    // One model's own value wins over one for both, in either order.
    expect(setsFor('looped', ['looped.trainer.lr=0.1', 'trainer.lr=0.2'])).toEqual([
      'trainer.lr=0.2',
      'trainer.lr=0.1',
    ]);
  });
});

describe('setsBesideFlags', () => {
  it('refuses a --set that --backend, --seed or a given --steps would override, prefixed or not, as a path or inside its part', () => {
    const refused = (set: string[], steps: number | null = null) => setsBesideFlags({ set, steps });
    expect(refused(['backend="cpu"'])).toEqual([
      '--set backend="cpu": --backend sets backend for both runs and would override it; give --backend',
    ]);
    expect(refused(['looped.run.seed=7', 'run={"seed":3,"steps":9}'])).toHaveLength(2);
    expect(refused(['run.steps=5'], 10)).toEqual([
      '--set run.steps=5: --steps sets run.steps for both runs and would override it; give --steps',
    ]);
    // Without --steps the presets' steps are the --set's to change; other paths are always its.
    expect(refused(['run.steps=5', 'standard.run.steps=6', 'run.batchSize=32', 'model.loops=12'])).toEqual([]);
  });
});

describe('comparisonRows', () => {
  it('puts the paper’s k/d = 0.5, 1, 2 beside ours and drops what the prompt cannot reach', () => {
    const c = (v: number) => Array.from({ length: 9 }, (_, k) => v + k);
    const rows = comparisonRows(4, 9, { standard: c(0), looped: c(100), leastSquares: c(200) });
    expect(rows.map((r) => [r.ratio, r.paperK, r.k, r.here.looped])).toEqual([
      [0.5, 10, 2, 102],
      [1, 20, 4, 104],
      [2, 40, 8, 108],
    ]);
    expect(comparisonRows(4, 6, { standard: c(0), looped: c(0), leastSquares: c(0) }).map((r) => r.k)).toEqual([2, 4]);
    // d = 5 has no k/d = 0.5: rounded to k = 3, that row compared k/d = 0.6 under the paper's 0.5.
    const odd = comparisonRows(5, 11, { standard: c(0), looped: c(0), leastSquares: c(0) });
    expect(odd.map((r) => [r.ratio, r.k])).toEqual([
      [1, 5],
      [2, 10],
    ]);
  });
});
