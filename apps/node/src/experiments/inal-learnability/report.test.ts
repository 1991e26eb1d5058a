import { describe, expect, it } from 'vitest';
import type { InalPoint } from '../../inal/measure.js';
import { resultsTable } from './report.js';
import type { ExperimentRow } from './report.js';
import type { TrainResult } from './settings.js';

const run = (trainer: TrainResult['trainer'], learnedAt: (number | null)[], learnedAtStep: number | null) =>
  ({
    trainer,
    accuracy: learnedAt.map((s) => (s === null ? 0.6 : 0.99)),
    meanAccuracy: learnedAt.reduce<number>((a, s) => a + (s === null ? 0.6 : 0.99), 0) / learnedAt.length,
    successRate: learnedAt.filter((s) => s !== null).length / learnedAt.length,
    learnedAtStep,
    firstEvalStep: 50,
    steps: 400,
    wallSeconds: 1,
  }) as TrainResult;

const row = (runs: TrainResult[]): ExperimentRow => ({
  target: 'parity:2',
  n: 16,
  lowDegreeWeight: [0, 0, 1, 0],
  inal: { n: 16, inal: 1e-3, ciLow: 5e-4, ciHigh: 1.5e-3, resolved: true } as InalPoint,
  closedForm: null,
  runs,
});

describe('the INAL results table', () => {
  it('gives the median step over all seeds, a seed that did not learn counted as never', () => {
    const [line] = resultsTable([row([run('noisy-gd', [100, null], null), run('sgd', [150, 250], 200)])])
      .split('\n')
      .slice(2);
    const cells = (line ?? '').split('|').map((c) => c.trim());
    // Over the learned seed alone the first read "0.795 (1/2 at step 100)".
    expect(cells.slice(6, 8)).toEqual(['0.795 (1/2 learned, median not reached)', '0.99 (2/2 at step 200)']);
  });

  it('rounds a mean accuracy down, so one just under the threshold does not read as 0.95', () => {
    const near = { ...run('sgd', [null, null], null), meanAccuracy: 0.9496 };
    const [line] = resultsTable([row([near])])
      .split('\n')
      .slice(2);
    expect((line ?? '').split('|').map((c) => c.trim())[7]).toBe('0.949');
  });
});
