import type { RunSummary } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { summaryScore } from './summary-score.js';

const replica = (testAccuracy: number | null, testError: number, learnedAtStep: number | null = null) => ({
  replica: 0,
  seed: 0,
  learnedAtStep,
  learnedAtSamples: null,
  testAccuracy,
  testError,
  finalLoss: 0,
  divergedAtStep: null,
});

const summary = (
  replicas: ReturnType<typeof replica>[],
  successRate: number,
  testAccuracy: number | null,
  learners: { learnedAtSample: number | null }[] = [],
) => ({ replicas, successRate, testAccuracy, learners }) as unknown as RunSummary;

describe('summaryScore', () => {
  it('gives a classification run its share learned and accuracy, a regression run its median test MSE', () => {
    expect(summaryScore(summary([replica(1, 0, 100), replica(0.5, 0.5)], 0.5, 0.75))).toBe(
      '50% learned, test acc 0.75',
    );
    // From the counts, rounded down: 199 of 200 is not all, and 58 of 200 (0.29 · 100 = 28.999… in
    // floating point) is 29%.
    const of200 = (learned: number) => Array.from({ length: 200 }, (_, i) => replica(1, 0, i < learned ? 100 : null));
    expect(summaryScore(summary(of200(199), 199 / 200, 0.99))).toBe('99% learned, test acc 0.99');
    expect(summaryScore(summary(of200(58), 58 / 200, 0.99))).toBe('29% learned, test acc 0.99');
    // A regression run read "0% learned, test acc —": no accuracy, so never "learned".
    expect(summaryScore(summary([replica(null, 0.3), replica(null, 0.1), replica(null, 0.2)], 0, null))).toBe(
      'test MSE 0.2',
    );
    // Not evaluated (0 steps): no MSE to give either.
    expect(summaryScore(summary([replica(null, Number.NaN)], 0, null))).toBe('0% learned, test acc —');
    // One replica diverged before its first evaluation (no MSE): the others' median, still a regression.
    expect(summaryScore(summary([replica(null, 0.3), replica(null, Number.NaN), replica(null, 0.1)], 0, null))).toBe(
      'test MSE 0.2',
    );
  });

  it('gives a run of stream learners alone the share of its learners that learned, rounded down', () => {
    const learners = (learned: number, of: number) =>
      Array.from({ length: of }, (_, i) => ({ learnedAtSample: i < learned ? 50 : null }));
    expect(summaryScore(summary([], 2 / 3, null, learners(2, 3)))).toBe('66% learned, test acc —');
    expect(summaryScore(summary([], 199 / 200, null, learners(199, 200)))).toBe('99% learned, test acc —');
  });
});
