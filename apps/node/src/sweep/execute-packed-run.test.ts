import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecord } from '@learnability/experiment';
import { applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { executePackedRun } from './execute-packed-run.js';

const config = validateConfig(
  applyOverrides(structuredClone(getPreset('sparse-parity').config), [
    'backend="cpu"',
    'task.n=8',
    'model.widths=[16]',
    'learners=[]',
    'run.replicas=1',
    'run.steps=40',
    'run.evalEvery=20',
    'run.testSize=100',
  ]),
);

describe('executePackedRun', () => {
  it('starts again a run whose record was torn before its first line was whole, with no checkpoint', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'torn.jsonl');
    writeFileSync(recordPath, '{"type":"start","runId":"to');
    const outcome = await executePackedRun({ run: { id: 'torn', config, jobIds: ['a'] }, recordPath, threads: 1 });
    expect(outcome.how).toBe('ran');
    expect(outcome.summary.steps).toBe(40);
    const record = parseRecord(readFileSync(recordPath, 'utf8'));
    expect([record.starts.length, record.evals.map((e) => e.step), record.end?.summary.status]).toEqual([
      1,
      [20, 40],
      'completed',
    ]);
  });
});
