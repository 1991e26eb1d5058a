import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { eventToLine } from '../record.js';
import { fileSink } from './file-sink.js';

const start = { type: 'start', runId: 'r', config: {}, backend: 'cpu', replicas: 1, paramCount: 1, totalSteps: 4 };
const evalAt = (step: number) =>
  ({
    type: 'eval',
    step,
    samplesSeen: step,
    loss: [1],
    trainAccuracy: [null],
    testAccuracy: [null],
    testError: [1],
    msPerStep: 1,
    measures: {},
    elapsedSeconds: step,
  }) as unknown as RunEvent;
const end = { type: 'end', summary: {} } as unknown as RunEvent;

describe('fileSink', () => {
  it('a resumed run’s record is cut back to its checkpoint’s step only when the run writes its first line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'learnability-sink-')), 'r.jsonl');
    const before = [start as unknown as RunEvent, evalAt(1), evalAt(2), end].map(eventToLine).join('');
    writeFileSync(path, before);
    const sink = fileSink(path, { resumedAt: 1 });
    // Set up, not yet written to (a resume that fails here leaves the record whole).
    expect(readFileSync(path, 'utf8')).toBe(before);
    await sink.event({ ...(start as unknown as RunEvent), startStep: 1 } as RunEvent);
    await sink.event(evalAt(2));
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step?: number });
    expect(lines.map((l) => `${l.type}${l.step ?? ''}`)).toEqual(['start', 'eval1', 'start', 'eval2']);
  });
});
