import { beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '@learnability/backends';
import type { EvalEvent, RunEvent } from '@learnability/core';
import { memorySink, runExperiment } from '@learnability/experiment';
import { resolve, validateConfig } from '@learnability/presets';
import { chartSpecs } from '../ui/run-plots.js';
import { eventsUpTo, loadRecordText, recordFileName, recordText } from './record-file.js';
import { evalsAreRegression } from './run-text.js';

/** A real run's events: sparse parity n=8, k=2, two replicas, on cpu. */
async function tinyRun(): Promise<RunEvent[]> {
  const config = validateConfig({
    task: { name: 'sparse-parity', n: 8, k: 2 },
    model: { name: 'dense', widths: [32] },
    trainer: { name: 'sgd', lr: 0.1, loss: 'hinge' },
    run: { steps: 40, evalEvery: 10, testSize: 64, replicas: 2, stopWhenLearned: false },
    learners: [{ name: 'gf2-elimination' }],
    backend: 'cpu',
  });
  const sink = memorySink();
  await runExperiment(resolve(config), { runId: 'tiny-s0', config, options: config.run, sink });
  return sink.events;
}

describe('run records in the browser', () => {
  let events: RunEvent[] = [];
  beforeAll(async () => {
    await setupBackend('cpu');
    events = await tinyRun();
  });

  it('downloads the JSONL the CLI writes and loads it back event for event', () => {
    const text = recordText(events);
    expect(text.split('\n').filter(Boolean)).toHaveLength(events.length);
    const loaded = loadRecordText(text, 'tiny-s0.jsonl');
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.record.starts).toEqual(events.filter((e) => e.type === 'start'));
    expect(loaded.record.evals.map((e) => e.step)).toEqual([10, 20, 30, 40]);
    expect(loaded.record.evals[3]?.testAccuracy).toHaveLength(2);
    expect(loaded.record.learned).toEqual(events.filter((e) => e.type === 'learned'));
    expect(loaded.record.end?.summary.steps).toBe(40);
    // In file order, so a loaded record downloads again as the same text.
    expect(recordText(loaded.events)).toBe(text);
  });

  it('ignores a torn last line, as parseRecord does for a run killed mid-write', () => {
    const text = recordText(events.slice(0, 3));
    const loaded = loadRecordText(`${text}{"type":"eval","st`, 'killed.jsonl');
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.events).toEqual(events.slice(0, 3));
    expect(loaded.record.end).toBeNull();
  });

  it('keeps what a resumed run keeps: starts, evals and learned lines up to the checkpoint, no end', () => {
    const kept = eventsUpTo(events, 20);
    expect(kept.filter((e) => e.type === 'eval').map((e) => (e.type === 'eval' ? e.step : 0))).toEqual([10, 20]);
    expect(kept.some((e) => e.type === 'end')).toBe(false);
    expect(kept[0]?.type).toBe('start');
  });

  it('names the file like the CLI and refuses a bad file with one line', () => {
    expect(recordFileName('sparse-parity-20261123T060000-s0')).toBe('sparse-parity-20261123T060000-s0.jsonl');
    expect(recordFileName('a b/c')).toBe('a_b_c.jsonl');
    for (const [text, error] of [
      ['', 'x.jsonl: no "start" line; is this a learnability run record?'],
      [
        '{"type":"start","runId":"r","replicas":1}\nnot json\n{"type":"end","summary":{}}',
        'x.jsonl:2: not a JSON line; expected one learnability run event per line',
      ],
      ['{"type":"bogus"}\n', 'x.jsonl:1: unknown event type "bogus"'],
      ['{"type":"start"}\n', 'x.jsonl:1: a damaged "start" line: its "runId" must be a string, but got nothing'],
    ] as const) {
      expect(loadRecordText(text, 'x.jsonl')).toEqual({ ok: false, error });
    }
  });

  it('loads an older record without scores or measures into evals the plots and table can draw, and refuses two runs in one file', () => {
    const old = '{"type":"start","runId":"old","replicas":1}\n{"type":"eval","step":10,"loss":[0.5]}\n';
    const loaded = loadRecordText(old, 'old.jsonl');
    if (!loaded.ok) throw new Error(loaded.error);
    // The page draws and tabulates the loaded events: chartSpecs and the results table threw on
    // an older record's eval lines, and left the previous run's plots on screen.
    const evals = loaded.events.filter((e): e is EvalEvent => e.type === 'eval');
    expect(evals).toEqual(loaded.record.evals);
    expect(evals[0]).toMatchObject({ trainAccuracy: [null], testAccuracy: [null], testError: [null], measures: {} });
    expect(() => chartSpecs(evals)).not.toThrow();
    expect(evalsAreRegression(evals)).toBe(false);
    const twice = `${old}${old.replace('"old"', '"other"')}`;
    expect(loadRecordText(twice, 'two.jsonl')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/one file holds one run/),
    });
  });
});
