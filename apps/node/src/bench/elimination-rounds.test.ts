import { describe, expect, it } from 'vitest';
import { pooledTiming, roundRatios } from './elimination-rounds.js';
import type { SizeTiming } from './elimination-rounds.js';

const timing = (samples: number[], recovered = true) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: 64,
    m: 84,
    method: 'm4ri',
    rank: 64,
    recovered,
    medianMs: sorted[Math.floor(sorted.length / 2)] as number,
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    samples,
  };
};

describe('bench elimination: rounds', () => {
  it('pools a size’s solves over the rounds, recovered only if every round recovered the secret', () => {
    const pooled = pooledTiming([timing([1, 3, 2]), timing([10, 12, 11], false)]);
    expect(pooled.samples).toEqual([1, 3, 2, 10, 12, 11]);
    expect([pooled.medianMs, pooled.minMs, pooled.maxMs]).toEqual([6.5, 1, 12]);
    expect(pooled.recovered).toBe(false);
    expect(pooled.method).toBe('m4ri');
  });

  it('takes M4RI ÷ ours within each round (a round without M4RI adds none) and gives their median and range', () => {
    // The machine ran 10× slower in round 2: within each round the ratios are 2, 2.5 and 1.5.
    const ours: SizeTiming[] = [timing([1]), timing([10]), timing([3]), timing([2])];
    const m4ri = [timing([2]), timing([25]), null, timing([3])];
    const r = roundRatios(ours, m4ri);
    expect(r?.samples).toEqual([2, 2.5, 1.5]);
    expect([r?.median, r?.min, r?.max]).toEqual([2, 1.5, 2.5]);
    // Not the pooled medians' ratio, which the slow round skews: 3 ÷ 2.5 = 1.2 here.
    expect(pooledTiming(m4ri.filter((x) => x !== null)).medianMs / pooledTiming(ours).medianMs).toBeCloseTo(1.2, 10);
    expect(roundRatios(ours, [null, null, null, null])).toBeNull();
  });
});
