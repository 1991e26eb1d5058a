import { describe, expect, it } from 'vitest';
import { threadCandidates } from './choose-threads.js';

describe('threadCandidates', () => {
  it('times 1 and all cores, and half of them from 4 cores up', () => {
    expect(threadCandidates(1)).toEqual([1]);
    expect(threadCandidates(2)).toEqual([1, 2]);
    expect(threadCandidates(3)).toEqual([1, 3]);
    expect(threadCandidates(8)).toEqual([1, 4, 8]);
  });
});
