import { describe, expect, it } from 'vitest';
import { compareRound, pairRounds } from './gpu-rounds.js';
import type { RoundRow } from './gpu-rounds.js';
import { summarizeSamples } from '@learnability/core';

/** A steps/s row of one round: ours and, unless null, PyTorch's samples with their BLAS threads. */
function row(ours: number[], theirs: number[] | null, blasThreads?: number): RoundRow {
  const reference =
    theirs === null
      ? null
      : {
          name: 'PyTorch cpu',
          value: summarizeSamples(theirs),
          ...(blasThreads ? { blasThreads: [blasThreads] } : {}),
        };
  const o = summarizeSamples(ours);
  return {
    workload: 'rnn',
    label: 'rnn',
    unit: 'steps/s',
    ours: o,
    trainStep: 'generic',
    reference,
    ratio: reference ? o.median / reference.value.median : null,
  };
}

describe('pairRounds', () => {
  it('pools each side’s samples and takes the median of the rounds’ ratios, not the ratio of the pooled medians', () => {
    // The machine slowed down in round 2 for both sides: the ratio within each round is 2, 1.5 and 2.
    const [paired] = pairRounds([[row([100, 102], [50, 50], 1)], [row([30, 30], [20, 20], 2)], [row([80], [40], 1)]]);
    expect(paired?.ours.samples).toEqual([100, 102, 30, 30, 80]);
    expect(paired?.reference?.value.samples).toEqual([50, 50, 20, 20, 40]);
    expect(paired?.ratios?.samples).toEqual([101 / 50, 1.5, 2]);
    expect(paired?.ratio).toBe(2);
    expect(paired?.ratios).toMatchObject({ min: 1.5, max: 101 / 50 });
    // Rounds at 2, 1.5 and 3: their median is 2, where the pooled medians' ratio (60 / 40) is 1.5.
    const [drifting] = pairRounds([[row([100], [50])], [row([60], [40])], [row([30], [10])]]);
    expect(drifting?.ratio).toBe(2);
    expect((drifting?.ours.median ?? 0) / (drifting?.reference?.value.median ?? 1)).toBe(1.5);
    expect(paired?.reference?.blasThreads).toEqual([1, 2, 1]);
    expect(paired?.trainStep).toBe('generic');
  });

  it('a round whose reference failed has no ratio; a row no round compared has none at all', () => {
    const [some] = pairRounds([[row([10], null)], [row([12], [6])]]);
    expect(some?.ratios?.samples).toEqual([2]);
    expect(some?.ratio).toBe(2);
    expect(some?.reference?.value.samples).toEqual([6]);
    expect(some?.ours.samples).toEqual([10, 12]);
    const [none] = pairRounds([[row([10], null)], [row([12], null)]]);
    expect(none?.reference).toBeNull();
    expect(none?.ratio).toBeNull();
    expect(none?.ratios).toBeNull();
  });
});

describe('compareRound', () => {
  it("compares the replicas with PyTorch's faster way, naming it when that is one network after another", () => {
    const ours = { workload: 'replicas', label: 'replicas', unit: 's', ours: summarizeSamples([4]) } as never;
    const torch = (way: 'batched' | 'sequential') =>
      ({
        ran: true,
        result: {
          device: 'cpu',
          workloads: { replicas: { replicas: 32, steps: 2000, way, seconds: summarizeSamples([8]), blasThreads: 1 } },
        },
      }) as never;
    const sequential = compareRound(ours, torch('sequential'), {} as never);
    expect(sequential.reference?.name).toBe('PyTorch cpu (one network after another)');
    expect(sequential.ratio).toBe(2);
    expect(compareRound(ours, torch('batched'), {} as never).reference?.name).toBe('PyTorch cpu');
  });
});
