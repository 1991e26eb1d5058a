import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { eventToLine } from '../record.js';
import { fileSink } from './file-sink.js';
import { lockRecord } from './record-lock.js';

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

  it('locks the record to one writer: refuses a second while the first runs, takes over a gone one’s, frees it at the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'learnability-sink-'));
    const path = join(dir, 'r.jsonl');
    // Another process that runs: its lock stands, and nothing is written.
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(`${path}.lock`, String(other.pid));
      expect(() => fileSink(path)).toThrow(
        new RegExp(
          `^run record ".*r.jsonl" is being written by process ${other.pid}; wait for that run to end, or, if no learnability runs as ${other.pid}, delete ".*r.jsonl.lock"$`,
        ),
      );
      expect(existsSync(path)).toBe(false);
    } finally {
      other.kill();
    }
    // A process that has exited (killed mid-run): its lock is taken over.
    const gone = spawnSync('true').pid;
    writeFileSync(`${path}.lock`, String(gone));
    const sink = fileSink(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}:${threadId}`);
    await sink.event(start as unknown as RunEvent);
    expect(existsSync(`${path}.lock`)).toBe(true);
    await sink.event(end);
    expect(existsSync(`${path}.lock`)).toBe(false);
    // Another thread of this process (a queue worker's job handed back while its first attempt
    // trains) is refused like another process; a lock this thread left over is taken over.
    writeFileSync(`${path}.lock`, `${process.pid}:${threadId + 1}`);
    expect(() => lockRecord(path)).toThrow(`is being written by process ${process.pid};`);
    writeFileSync(`${path}.lock`, `${process.pid}:${threadId}`);
    const release = lockRecord(path);
    release();
    expect(readdirSync(dir)).toEqual(['r.jsonl']); // no lock, and nothing of the takeovers left
  });

  it('a release the file system refuses (a folder gone read-only) does not throw over the error that stopped the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'learnability-lock-'));
    const path = join(dir, 'r.jsonl');
    const release = lockRecord(path);
    // As root no permission bites: a directory where the lock was cannot be read or removed as a file.
    rmSync(`${path}.lock`);
    mkdirSync(`${path}.lock`);
    expect(() => release()).not.toThrow();
    rmSync(dir, { recursive: true });
  });
});
