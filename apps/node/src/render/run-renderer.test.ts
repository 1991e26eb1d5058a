import type { EvalEvent, StartEvent } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { consoleRenderer, duration } from './run-renderer.js';

describe('consoleRenderer', () => {
  it("gives a resumed run's ETA from this session's pace, not from every session's time", async () => {
    const status: string[] = [];
    const io: Io = { out: () => {}, err: () => {}, status: (line) => status.push(line), interactive: true };
    let ms = 0;
    const sink = consoleRenderer(io, () => {}, { outputKind: 'sign', now: () => ms });
    const start = { type: 'start', runId: 'r', config: {}, backend: 'cpu', replicas: 1, paramCount: 10 };
    await sink.event({ ...start, totalSteps: 1000, startStep: 900, versions: {} } as StartEvent);
    ms = 50_000; // 50 s for steps 900..950 in this session; 900 s were spent before the resume.
    const scores = { loss: [0.1], trainAccuracy: [1], testAccuracy: [1], testError: [0], msPerStep: 1 };
    await sink.event({ type: 'eval', step: 950, samplesSeen: 0, elapsedSeconds: 950, ...scores } as EvalEvent);
    // 50 steps left at 1 s a step; from elapsedSeconds it read 950 s ("15m50s").
    expect(status.at(-1)).toMatch(/ETA 50s /);
  });

  it('says a run stops early once learned only where it does: not with stopWhenLearned false, nor on a regression task', async () => {
    const lastStatus = async (outputKind: 'sign' | 'real', config: object) => {
      const status: string[] = [];
      const io: Io = { out: () => {}, err: () => {}, status: (line) => status.push(line), interactive: true };
      const sink = consoleRenderer(io, () => {}, { outputKind, now: () => 0 });
      const start = { type: 'start', runId: 'r', config, backend: 'cpu', replicas: 1, paramCount: 10 };
      await sink.event({ ...start, totalSteps: 100, startStep: 0, versions: {} } as StartEvent);
      const scores = { loss: [0.1], trainAccuracy: [1], testAccuracy: [1], testError: [0], msPerStep: 1 };
      await sink.event({ type: 'eval', step: 50, samplesSeen: 0, elapsedSeconds: 1, ...scores } as EvalEvent);
      return status.at(-1) ?? '';
    };
    const note = '(stops early once every replica has learned)';
    expect(await lastStatus('sign', { run: { stopWhenLearned: true } })).toContain(note);
    expect(await lastStatus('sign', { run: { stopWhenLearned: false } })).not.toContain(note);
    expect(await lastStatus('real', { run: { stopWhenLearned: true } })).not.toContain(note);
  });
});

describe('duration', () => {
  it('rounds to the second before it splits minutes, so 119.6 s reads 2m00s, not 1m60s', () => {
    expect([59.4, 59.7, 60, 119.6, 125, Number.POSITIVE_INFINITY].map(duration)).toEqual([
      '59s',
      '1m00s',
      '1m00s',
      '2m00s',
      '2m05s',
      '?',
    ]);
  });
});
