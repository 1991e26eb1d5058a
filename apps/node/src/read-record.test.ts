import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-error.js';
import { readRunRecord } from './read-record.js';

const dir = mkdtempSync(join(tmpdir(), 'learnability-read-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const start = JSON.stringify({
  type: 'start',
  runId: 'r',
  config: {},
  backend: 'cpu',
  replicas: 1,
  paramCount: 1,
  totalSteps: 2,
  startStep: 0,
  versions: {},
});
const evalLine = JSON.stringify({
  type: 'eval',
  step: 1,
  samplesSeen: 1,
  loss: [1],
  trainAccuracy: [1],
  testAccuracy: [1],
  testError: [0],
  msPerStep: 1,
  measures: {},
  elapsedSeconds: 1,
});

describe('readRunRecord', () => {
  it('reads a record, and one whose last line was torn by a kill', () => {
    expect(readRunRecord('plot', 'record', file('ok.jsonl', `${start}\n${evalLine}\n`)).evals).toHaveLength(1);
    expect(
      readRunRecord('plot', 'record', file('torn.jsonl', `${start}\n${evalLine}\n{"type":"ev`)).evals,
    ).toHaveLength(1);
  });

  it('names the file and what is wrong, as a UsageError', () => {
    const cases: [string, RegExp][] = [
      [
        join(dir, 'missing.jsonl'),
        /^plot: record ".*missing.jsonl" does not exist; pass the .jsonl path a run printed/,
      ],
      [dir, /is a directory, not a file$/],
      [file('empty.jsonl', '\n'), /is empty, not a learnability run record$/],
      [file('other.json', '{"a":1}\n'), /is not a learnability run record \(line 1 is not a "start" event\)$/],
      [file('text.txt', 'hello\n'), /is not a learnability run record \(line 1 is not JSON\)$/],
      [file('odd.jsonl', `${start}\n{"type":"oops"}\n`), /is a damaged run record \(line 2 is not a run event\)$/],
    ];
    // Lines that parse but are not what a run writes (a hand edit, a bad copy): the field named.
    const damaged = (name: string, fields: object) =>
      file(name, `${start}\n${JSON.stringify({ ...JSON.parse(evalLine), ...fields })}\n`);
    cases.push(
      [
        damaged('loss.jsonl', { loss: 'abc' }),
        /\(.*loss.jsonl:2: a damaged "eval" line: its "loss" must be a list of numbers, one per replica \(null where not finite\), but got "abc"\)$/,
      ],
      [
        damaged('step.jsonl', { step: 'x' }),
        /:2: a damaged "eval" line: its "step" must be an integer ≥ 0, but got "x"\)$/,
      ],
      [
        damaged('measures.jsonl', { measures: { norm: 3 } }),
        /:2: a damaged "eval" line: its "measures" must be an object of lists of numbers, one per replica, but got \{"norm":3\}\)$/,
      ],
      [file('nonobject.jsonl', `${start}\n5\n`), /is a damaged run record \(line 2 is not a run event\)$/],
      [file('middle.jsonl', `${start}\n{"type":"ev\n${evalLine}\n`), /is a damaged run record \(line 2 is not JSON\)$/],
    );
    for (const [path, message] of cases) {
      expect(() => readRunRecord('plot', 'record', path)).toThrow(UsageError);
      expect(() => readRunRecord('plot', 'record', path)).toThrow(message);
    }
  });
});
