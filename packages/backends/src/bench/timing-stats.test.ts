import { describe, expect, it } from 'vitest';
import { summarize } from './timing-stats.js';

describe('summarize', () => {
  it('gives median, min, max and keeps the samples in order', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, samples: [3, 1, 2] });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
  });
  it('rejects an empty list', () => {
    expect(() => summarize([])).toThrow(/at least one sample/);
  });
});
