import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { uniqueRunId } from './unique-run-id.js';

it('takes the first free id; reserving creates its record at once, so a second run taking one gets the next', () => {
  const dir = mkdtempSync(join(tmpdir(), 'learnability-ids-'));
  const base = 'sparse-parity-20261207T080000-s0';
  // Choosing alone (a dry run) creates nothing: two choices agree.
  expect([uniqueRunId(dir, base, false), uniqueRunId(dir, base, false)]).toEqual([base, base]);
  expect(existsSync(join(dir, `${base}.jsonl`))).toBe(false);
  // Two runs of one second reserving in turn, as two processes may: distinct ids, empty records made.
  expect([uniqueRunId(dir, base, true), uniqueRunId(dir, base, true)]).toEqual([base, `${base}-2`]);
  expect(readFileSync(join(dir, `${base}-2.jsonl`), 'utf8')).toBe('');
  writeFileSync(join(dir, `${base}-3.jsonl`), '{}\n');
  expect(uniqueRunId(dir, base, false)).toBe(`${base}-4`);
  expect(uniqueRunId(dir, base, true)).toBe(`${base}-4`);
});
