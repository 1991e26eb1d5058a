import { describe, expect, it } from 'vitest';
import type { EvalEvent } from '@learnability/core';
import { PALETTE } from './dom.js';
import { RUN_COLOUR } from './line-chart.js';
import { chartSpecs } from './run-plots.js';

const evalAt = (step: number, testAccuracy: (number | null)[]): EvalEvent => ({
  type: 'eval',
  step,
  samplesSeen: step * 32,
  loss: testAccuracy.map(() => 1 / step),
  trainAccuracy: testAccuracy,
  testAccuracy,
  testError: testAccuracy.map((a) => 1 - (a ?? 0)),
  msPerStep: 4,
  measures: { weightDistance: testAccuracy.map(() => step / 100), subsetWeightShare: testAccuracy.map(() => 0.3) },
  elapsedSeconds: step / 250,
});

describe('chartSpecs', () => {
  it('draws loss, accuracies and steps/s per replica, and one chart per hidden-progress measure', () => {
    const specs = chartSpecs([evalAt(50, [0.5, 0.55]), evalAt(100, [0.9, null])]);
    expect(specs.map((s) => s.key)).toEqual([
      'loss',
      'trainAccuracy',
      'testAccuracy',
      'stepsPerSecond',
      'measure:weightDistance',
      'measure:subsetWeightShare',
    ]);
    const test = specs.find((s) => s.key === 'testAccuracy');
    expect(test?.series.map((s) => s.points)).toEqual([
      [
        [50, 0.5],
        [100, 0.9],
      ],
      [
        [50, 0.55],
        [100, null],
      ],
    ]);
    const speed = specs.find((s) => s.key === 'stepsPerSecond')?.series[0];
    expect(speed?.points).toEqual([
      [50, 250],
      [100, 250],
    ]);
    // The whole run's line, not replica 0's: not in a colour of the replicas' legend.
    expect(speed?.colour).toBe(RUN_COLOUR);
    expect(PALETTE).not.toContain(RUN_COLOUR);
    expect(test?.series.every((s) => s.colour === undefined)).toBe(true);
    expect(specs.find((s) => s.key === 'loss')?.options.logY).toBe(true);
  });

  it('titles every chart in words, never with a code name', () => {
    const titles = chartSpecs([evalAt(50, [0.5])]).map((s) => s.options.title);
    expect(titles).toEqual([
      'training loss',
      'train accuracy',
      'test accuracy',
      'steps / s',
      'distance from init ‖θ − θ₀‖',
      'first-layer weight share on parity bits S',
    ]);
    for (const t of titles) expect(t).not.toMatch(/[a-z][A-Z]/); // no camelCase identifiers
  });

  it('draws a regression (no accuracy) by its test MSE, on a log axis, instead of accuracies', () => {
    const mse = (step: number): EvalEvent => ({
      ...evalAt(step, [null, null]),
      testError: [2 / step, 3 / step],
    });
    const specs = chartSpecs([mse(50), mse(100)]);
    expect(specs.map((s) => s.key).slice(0, 3)).toEqual(['loss', 'testError', 'stepsPerSecond']);
    expect(specs[1]?.options).toMatchObject({ title: 'test MSE', logY: true });
  });
});
