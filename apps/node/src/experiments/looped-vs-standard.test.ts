import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import { setsFor } from './looped-vs-standard/per-model-sets.js';
import { comparisonRows } from './looped-vs-standard/report.js';

interface Results {
  params: { looped: number; standard: number; perBlock: number; standardBlocks: number };
  errorByExamples: Record<string, number[]>;
  errorByLoops: { trainedLoops: number; byK: Record<string, number[]> };
  training: { looped: { record: string; steps: number }; standard: { record: string; steps: number } };
}

describe('learnability run looped-vs-standard', () => {
  it('trains both presets briefly, reports 12D² + 13D per block, curves for every learner, and re-evaluates from the records; looped.… sets reach the looped model alone', () => {
    const out = mkdtempSync(join(tmpdir(), 'learnability-looped-'));
    const args = [
      '--threads',
      '1',
      '--set',
      'looped.model.loops=3',
      '--eval-prompts',
      '16',
      '--max-loops',
      '10',
      '--out',
      out,
      '--figures',
      join(out, 'fig'),
      '--json',
    ];
    const first = cli([
      'run',
      'looped-vs-standard',
      '--steps',
      '4',
      '--set',
      'run.evalEvery=2',
      '--set',
      'run.testSize=8',
      ...args,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const r = JSON.parse(first.stdout) as Results;
    expect(r.params.perBlock).toBe(12 * 32 * 32 + 13 * 32);
    expect(r.params.standardBlocks).toBe(4 * r.params.perBlock);
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
    const again = cli([
      'run',
      'looped-vs-standard',
      '--from',
      `${r.training.looped.record},${r.training.standard.record}`,
      ...args,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Results).errorByExamples).toEqual(r.errorByExamples);
  });

  it('--from needs two records', () => {
    const r = cli(['run', 'looped-vs-standard', '--from', 'a.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from takes two records, looped then standard');
  });
});

describe('setsFor', () => {
  it('gives a model its prefixed sets without the prefix, and unprefixed sets to every model', () => {
    const sets = ['run.batchSize=32', 'looped.model.loops=12', 'standard.model.layers=6', 'looped.run.steps=9'];
    expect(setsFor('looped', sets, ['looped', 'standard'])).toEqual([
      'run.batchSize=32',
      'model.loops=12',
      'run.steps=9',
    ]);
    expect(setsFor('standard', sets, ['looped', 'standard'])).toEqual(['run.batchSize=32', 'model.layers=6']);
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
  });
});
