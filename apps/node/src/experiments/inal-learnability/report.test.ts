import { describe, expect, it } from 'vitest';
import type { InalPoint } from '../../inal/measure.js';
import { accuracyVsInalSpec } from './figures.js';
import { resultsTable, slopeTable } from './report.js';
import type { ExperimentRow } from './report.js';
import { domainShareSeen, trainResult } from './settings.js';
import type { TrainResult } from './settings.js';

const run = (trainer: TrainResult['trainer'], learnedAt: (number | null)[], learnedAtStep: number | null) =>
  ({
    trainer,
    accuracy: learnedAt.map((s) => (s === null ? 0.6 : 0.99)),
    meanAccuracy: learnedAt.reduce<number>((a, s) => a + (s === null ? 0.6 : 0.99), 0) / learnedAt.length,
    successRate: learnedAt.filter((s) => s !== null).length / learnedAt.length,
    learnedAtStep,
    firstEvalStep: 50,
    trainedOnShare: 0.03,
    steps: 400,
    wallSeconds: 1,
  }) as TrainResult;

const row = (runs: TrainResult[], n = 16): ExperimentRow => ({
  target: 'parity:2',
  n,
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

describe('the accuracy figure', () => {
  it('says when a point averages fewer replicas than trained (the others diverged before any score)', () => {
    const partly = { ...run('noisy-gd', [null, null], null), accuracy: [0.52, Number.NaN], meanAccuracy: 0.52 };
    const subtitle = (runs: TrainResult[]) =>
      (accuracyVsInalSpec([row(runs)]) as { title: { subtitle: string[] } }).title.subtitle;
    expect(subtitle([partly]).at(-1)).toBe(
      '1 point(s) average fewer replicas than trained: the others diverged before their first evaluation (the table says which)',
    );
    expect(subtitle([run('noisy-gd', [100, 200], 150)])).toHaveLength(3);
  });
});

describe('the INAL slope table', () => {
  it('lists the n the fit used, which leaves out a resolved point with no spread over its inits', () => {
    const at = (n: number, stderr: number): ExperimentRow => ({
      ...row([], n),
      inal: { n, inal: 0.1 * n ** -2, stderr, ciLow: 0, ciHigh: 1, resolved: true } as InalPoint,
    });
    const rows = [at(8, 0), at(16, 1e-5), at(32, 1e-6), at(64, 1e-7)];
    const cells = (slopeTable(rows).split('\n')[2] ?? '').split('|').map((c) => c.trim());
    // It read "8, 16, 32, 64", the resolved points, with the slope fitted over three.
    expect(cells.slice(1, 5)).toEqual(['parity:2', '-2', '16, 32, 64', '—']);
  });
});

describe('which runs trained on most of their test inputs', () => {
  it('takes the share of the 2ⁿ inputs that m uniform examples hold, 1 − (1 − 2⁻ⁿ)^m', () => {
    for (const [n, m] of [
      [8, 2048],
      [16, 2048],
      [16, 128_000],
      [4, 3],
    ] as const)
      expect(domainShareSeen(n, m)).toBeCloseTo(1 - (1 - 2 ** -n) ** m, 12);
    // Where 1 − 2⁻ⁿ rounds to 1 the naive power says 0; the share is m·2⁻ⁿ there.
    expect(domainShareSeen(64, 128_000) / (128_000 * 2 ** -64)).toBeCloseTo(1, 9);
    expect(domainShareSeen(8, 0)).toBe(0);
  });

  it("counts noisy GD's fixed set, and SGD's 32 fresh examples per step until the run stopped", () => {
    const summary = (steps: number) =>
      ({ steps, replicas: [{ testAccuracy: 1, learnedAtStep: 50 }], successRate: 1, wallSeconds: 1 }) as never;
    expect(trainResult('noisy-gd', 8, summary(400), 50).trainedOnShare).toBeCloseTo(domainShareSeen(8, 2048), 12);
    expect(trainResult('noisy-gd', 16, summary(400), 50).trainedOnShare).toBeCloseTo(domainShareSeen(16, 2048), 12);
    expect(trainResult('sgd', 16, summary(4000), 250).trainedOnShare).toBeCloseTo(domainShareSeen(16, 128_000), 12);
    expect(trainResult('sgd', 16, summary(250), 250).trainedOnShare).toBeCloseTo(domainShareSeen(16, 8000), 12);
  });

  it('averages the accuracy over the replicas that were scored, where one without a score blanked the cell', () => {
    const replicas = [
      { testAccuracy: 1, learnedAtStep: 50 },
      { testAccuracy: null, learnedAtStep: null },
    ];
    const summary = { steps: 400, replicas, successRate: 0.5, wallSeconds: 1 } as never;
    expect(trainResult('noisy-gd', 8, summary, 50).meanAccuracy).toBe(1);
  });

  it('marks those cells with † and says what it means under the table, and only then', () => {
    const seen = { ...run('noisy-gd', [50, 50], 50), trainedOnShare: domainShareSeen(8, 2048) };
    const table = resultsTable([row([seen, run('sgd', [250, 250], 250)], 8)]);
    const [line] = table.split('\n').slice(2);
    const cells = (line ?? '').split('|').map((c) => c.trim());
    expect(cells.slice(6, 8)).toEqual(['0.99 (2/2 at step ≤ 50) †', '0.99 (2/2 at step 250)']);
    expect(table).toMatch(/\n\n† A replica's training examples .* most test inputs were trained on/);
    expect(resultsTable([row([run('noisy-gd', [50, 50], 50)])])).not.toContain('†');
  });
});
