import { describe, expect, it } from 'vitest';
import type { RunRecord } from '@learnability/experiment';
import { raceSpec } from './figures.js';
import { directTable, inContextTable } from './report.js';
import type { DirectRow } from './results.js';
import { networkRun } from './train.js';
import type { NetworkRun } from './train.js';

const network = (samples: (number | null)[]): NetworkRun => ({
  preset: 'p',
  paramCount: 100,
  samples,
  seconds: samples.map((s) => (s === null ? null : s / 1000)),
  finalTestAccuracy: samples.map(() => 1),
  divergedAtStep: samples.map(() => null),
  steps: 500,
  samplesSeen: 16_000,
  firstEvalSamples: 1_600,
  wallSeconds: 9,
  status: 'completed',
  ended: 'learned',
});

const row = (rcnn: (number | null)[]): DirectRow => ({
  family: 'sparse',
  n: 4,
  k: 3,
  elimination: {
    theorySamples: 11,
    delta: 0.01,
    trials: 200,
    medianSamples: 5,
    meanSamples: 5.5,
    maxSamples: 9,
    meanMicroseconds: 40,
    exact: 1,
  },
  rcnn: network(rcnn),
  dense: network([3_200, 4_800]),
});

describe('the direct table', () => {
  it('marks a count reached at the first evaluation as an upper bound, in samples and in the ratio', () => {
    const cells = (line: string) => line.split('|').map((c) => c.trim());
    const [first, later] = directTable([row([1_600, 1_600]), row([3_200, 4_800])])
      .split('\n')
      .slice(2)
      .map(cells);
    // Learned by the first evaluation (1,600 samples): anywhere in 1..1,600, so "320×" was "≤ 320×".
    expect([first?.[8], first?.[13]]).toEqual(['≤ 1,600 (2/2)', '≤ 320×']);
    expect([later?.[8], later?.[13], later?.[11]]).toEqual(['4,000 (2/2)', '800×', '4,000 (2/2)']);
  });

  it('gives seconds under 0.1 s to 0.01 s, where a run that learned in 0.049 s read "0"', () => {
    const fast = row([1_600, 1_600]);
    const quick = { ...fast, dense: { ...fast.dense, seconds: [0.049, 0.049] } };
    const [line] = directTable([quick]).split('\n').slice(2);
    const cells = (line ?? '').split('|').map((c) => c.trim());
    expect([cells[9], cells[12]]).toEqual(['1.6', '0.05']);
  });

  it('counts a replica that did not learn as past its budget: the median of 1 of 2 is past the mean of the learned one and the budget, of 2 of 3 the second', () => {
    const cells = (line: string) => line.split('|').map((c) => c.trim());
    // Runs where a replica did not learn spend their whole budget of steps.
    const spent = (samples: (number | null)[]): DirectRow => {
      const r = row(samples);
      return { ...r, rcnn: { ...r.rcnn, ended: 'steps' } };
    };
    const [half, most] = directTable([spent([3_200, null]), spent([3_200, null, 6_400])])
      .split('\n')
      .slice(2)
      .map(cells);
    // Over the learned replica alone this read "3,200 (1/2)" and "800×"; then "> 16,000", more than
    // the data say: the median of 3,200 and a count past 16,000 is past (3,200 + 16,000) / 2.
    expect([half?.[8], half?.[9], half?.[13]]).toEqual(['> 9,600 (1/2, steps)', '> 6.1', '> 1,920×']);
    expect([most?.[8], most?.[13]]).toEqual(['6,400 (2/3)', '1,280×']);
  });

  it('says how many replicas diverged, and why the run ended', () => {
    const cells = (line: string) => line.split('|').map((c) => c.trim());
    const diverged = (samples: (number | null)[], at: (number | null)[], ended: NetworkRun['ended']): DirectRow => {
      const r = row(samples);
      return { ...r, rcnn: { ...r.rcnn, divergedAtStep: at, ended } };
    };
    const [oneOfTwo, all, learnedBeside] = directTable([
      diverged([null, null], [50, null], 'time'),
      diverged([null, null], [50, 100], 'diverged'),
      diverged([3_200, 4_800, null], [null, null, 50], 'diverged'),
    ])
      .split('\n')
      .slice(2)
      .map(cells);
    // Until 2026-12-06 these read "> 16,000 (0/2, time)", with the diverged replica hidden.
    expect(oneOfTwo?.[8]).toBe('> 16,000 (0/2, 1 diverged, time)');
    expect(all?.[8]).toBe('> 16,000 (0/2, 2 diverged)');
    expect(learnedBeside?.[8]).toBe('4,800 (2/3, 1 diverged)');
  });
});

describe('a run record as the report reads it', () => {
  const record = (replicas: { learnedAtSamples: number | null; divergedAtStep: number | null }[], status: string) =>
    ({
      starts: [],
      evals: [{ samplesSeen: 1_600, elapsedSeconds: 1 }],
      learned: [],
      end: {
        type: 'end',
        summary: {
          status,
          steps: 50,
          samplesSeen: 1_600,
          wallSeconds: 1,
          replicas: replicas.map((r) => ({ ...r, testAccuracy: null })),
        },
      },
    }) as unknown as RunRecord;

  it('a run that stopped once every replica had learned or diverged ended for the divergence, not its step budget', () => {
    const one = networkRun(
      'p',
      1,
      record(
        [
          { learnedAtSamples: 1_600, divergedAtStep: null },
          { learnedAtSamples: null, divergedAtStep: 50 },
        ],
        'completed',
      ),
    );
    expect(one.ended).toBe('diverged');
    expect(one.divergedAtStep).toEqual([null, 50]);
    const budget = networkRun('p', 1, record([{ learnedAtSamples: null, divergedAtStep: null }], 'completed'));
    expect(budget.ended).toBe('steps');
  });
});

describe('the in-context table', () => {
  it('names a replica that diverged before any score, where it printed "—"', () => {
    const rcnn: NetworkRun = {
      ...network([null]),
      finalTestAccuracy: [null],
      divergedAtStep: [100],
      ended: 'diverged',
    };
    const elimination = { accuracy: 0.9, fullRank: 0.9, theoryFullRank: 0.9, lookupAccuracy: 0.7 };
    const table = inContextTable({ n: 4, k: 2, examples: 8, rcnn, elimination });
    expect(table.split('\n')[2]?.split('|')[7]?.trim()).toBe('diverged at step 100');
  });

  it('says a run its time budget stopped ended there, where its steps read as all it was given', () => {
    const elimination = { accuracy: 0.9, fullRank: 0.9, theoryFullRank: 0.9, lookupAccuracy: 0.7 };
    const cut = { ...network([null]), status: 'stopped' as const, ended: 'time' as const };
    const steps = (rcnn: NetworkRun) =>
      inContextTable({ n: 4, k: 2, examples: 8, rcnn, elimination }).split('\n')[2]?.split('|')[5]?.trim();
    expect(steps(cut)).toBe('500 (16,000), stopped: time budget spent');
    expect(steps(network([3_200]))).toBe('500 (16,000)');
  });
});

describe('the race figure', () => {
  it('marks a network whose replicas diverged apart from one that ran out of budget', () => {
    const diverged: DirectRow = {
      ...row([null, null]),
      rcnn: { ...row([]).rcnn, samples: [null, null], ended: 'diverged' },
    };
    const timedOut: DirectRow = {
      ...row([null, null]),
      n: 8,
      rcnn: { ...row([]).rcnn, samples: [null, null], ended: 'time' },
    };
    const spec = raceSpec([diverged, timedOut], 't') as unknown as {
      vconcat: { data: { values: { series: string; n: number; outcome: string }[] } }[];
    };
    const rcnn = spec.vconcat[0]?.data.values.filter((p) => p.series.startsWith('RCNN'));
    expect(rcnn?.map((p) => [p.n, p.outcome])).toEqual([
      [4, 'not learned: diverged'],
      [8, 'not learned: budget spent'],
    ]);
  });
});
