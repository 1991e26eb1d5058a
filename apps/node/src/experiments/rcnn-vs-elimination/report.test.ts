import { describe, expect, it } from 'vitest';
import { directTable } from './report.js';
import type { DirectRow } from './results.js';
import type { NetworkRun } from './train.js';

const network = (samples: (number | null)[]): NetworkRun => ({
  preset: 'p',
  paramCount: 100,
  samples,
  seconds: samples.map((s) => (s === null ? null : s / 1000)),
  finalTestAccuracy: samples.map(() => 1),
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

  it('counts a replica that did not learn as never: the median of 1 of 2 is past the budget, of 2 of 3 the second', () => {
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
    // Over the learned replica alone this read "3,200 (1/2)" and "800×".
    expect([half?.[8], half?.[9], half?.[13]]).toEqual(['> 16,000 (1/2, steps)', '> 9', '> 3,200×']);
    expect([most?.[8], most?.[13]]).toEqual(['6,400 (2/3)', '1,280×']);
  });
});
