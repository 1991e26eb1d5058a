import { describe, expect, it } from 'vitest';

import { roundRatios } from './train-command.js';
import type { Round } from './train-command.js';
import { summarizeSamples } from '@learnability/core';

describe('bench train: ratios paired by round', () => {
  it('takes each ratio within its round and gives their median and range; a round whose reference failed adds none', () => {
    const round = (ours: number[], torch: number[] | null): Round => ({
      ours: [summarizeSamples(ours), summarizeSamples([1])],
      torch: torch ? [summarizeSamples(torch), summarizeSamples([1])] : null,
    });
    // Each ratio is of the round's two medians: 1,000 / 500, 3,000 / 1,500 and 4,000 / 1,600.
    const rounds = [
      round([1000, 1100, 900], [500, 520, 480]),
      round([3000], [1500]),
      round([2000], null),
      round([4000], [1600]),
    ];
    const r = roundRatios(rounds, 0);
    expect(r.samples).toEqual([2, 2, 2.5]);
    expect([r.median, r.min, r.max]).toEqual([2, 2, 2.5]);
  });
});
