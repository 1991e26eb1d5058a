import { describe, expect, it } from 'vitest';
import type { EvalEvent, RunSummary } from '@learnability/core';
import { describeBackend, evalLine, fmt, learnedAtCell, summaryLine, trainsOnFiniteSet } from './run-text.js';

const summary = (over: Partial<RunSummary>): RunSummary => ({
  runId: 'r',
  config: {},
  seed: 0,
  versions: {},
  status: 'completed',
  steps: 200,
  samplesSeen: 6400,
  learnedAtStep: 200,
  successRate: 1,
  testAccuracy: 1,
  replicas: [],
  learners: [],
  wallSeconds: 1.234,
  backend: 'wasm',
  ...over,
});

const replica = (learnedAtStep: number | null) => ({
  replica: 0,
  seed: 0,
  learnedAtStep,
  learnedAtSamples: null,
  testAccuracy: 1,
  testError: 0,
  finalLoss: 0,
});

describe('run text', () => {
  it('formats numbers to 3 significant digits and missing ones as a dash', () => {
    expect([fmt(0.123456), fmt(1234.5), fmt(null), fmt(Number.NaN), fmt(0.076, 4)]).toEqual([
      '0.123',
      '1230',
      '–',
      '–',
      '0.076',
    ]);
  });

  it('names the adapter, or wasm threads and SIMD', () => {
    const adapter = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true };
    expect(describeBackend({ name: 'webgpu', requested: 'webgpu', platform: 'browser', adapter })).toBe(
      'webgpu on adapter google · swiftshader (software fallback adapter)',
    );
    expect(describeBackend({ name: 'wasm', requested: 'wasm', platform: 'browser', threads: 2, simd: true })).toBe(
      'wasm · 2 thread(s) · SIMD on',
    );
  });

  it('writes one status line per eval and one at the end, replicas and stream learners alike', () => {
    const e: EvalEvent = {
      type: 'eval',
      step: 150,
      samplesSeen: 4800,
      loss: [0.9, 1],
      trainAccuracy: [0.6, null],
      testAccuracy: [0.5, null],
      testError: [0.5, 1],
      msPerStep: 4,
      measures: {},
      elapsedSeconds: 0.6,
    };
    expect(evalLine(e, 'wasm', 400)).toBe('running on wasm: step 150 / 400 · test acc 0.5, – · 250 steps/s');
    const both = summary({
      replicas: [replica(200), replica(null)],
      learners: [{ name: 'gf2-elimination', learnedAtSample: 11, samplesSeen: 6400, testAccuracy: 1 }],
    });
    expect(summaryLine(both)).toBe(
      'completed after 200 steps, 1.23 s: 1/2 replicas learned, gf2-elimination learned from 11 samples',
    );
    expect(
      summaryLine(summary({ status: 'diverged', message: 'lower the learning rate', replicas: [replica(null)] })),
    ).toBe('diverged after 200 steps, 1.23 s: 0/1 replicas learned — lower the learning rate');
  });

  it('shows a regression (no accuracy, a test MSE) by its MSE, as the CLI judges it', () => {
    const e: EvalEvent = {
      type: 'eval',
      step: 250,
      samplesSeen: 16_000,
      loss: [1.5, 1.4],
      trainAccuracy: [null, null],
      testAccuracy: [null, null],
      testError: [1.479, 1.421],
      msPerStep: 40,
      measures: {},
      elapsedSeconds: 10,
    };
    expect(evalLine(e, 'wasm', 4000)).toBe('running on wasm: step 250 / 4000 · test MSE 1.48, 1.42 · 25 steps/s');
    const mse = { ...replica(null), testAccuracy: null, testError: 1.479 };
    expect(summaryLine(summary({ replicas: [mse] }))).toBe(
      'completed after 200 steps, 1.23 s: final test MSE 1.48 (a regression: judged by test MSE)',
    );
  });
});

describe('learnedAtCell', () => {
  it('gives every cell its unit: samples for replicas and stream learners alike, a replica its step below', () => {
    expect(learnedAtCell({ step: 2400, samples: 76_800 }, false)).toEqual(['76,800 samples', 'step 2400']);
    expect(learnedAtCell({ samples: 53 }, false)).toEqual(['53 samples']);
    expect(learnedAtCell(undefined, false)).toEqual(['–']);
  });

  it('gives a replica on a finite training set its step alone: its samples are re-reads of the set', () => {
    expect(learnedAtCell({ step: 2400, samples: 76_800 }, true)).toEqual(['step 2400']);
    expect(trainsOnFiniteSet({ run: { trainSetSize: 1000 } })).toBe(true);
    expect(trainsOnFiniteSet({ run: { trainSetSize: null } })).toBe(false);
    expect(trainsOnFiniteSet(undefined)).toBe(false);
  });
});
