import { describe, expect, it } from 'vitest';
import { pooledTiming, roundRatios, summarised, timeReference } from './elimination-rounds.js';
import type { ReferenceSeries, SizeTiming } from './elimination-rounds.js';

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

describe('bench elimination: a reference over the rounds', () => {
  const ran = (medianMs: number) => ({ available: true as const, method: 'm4ri', results: [timing([medianMs])] });

  it('one that stops part-way keeps the rounds before, says why once, and is not called again', async () => {
    const series: ReferenceSeries<{ method: string }> = { runs: [[], []], method: null, stopped: null };
    const calls: string[] = [];
    const answers = [ran(1), ran(2), { available: false as const, reason: 'compiling the M4RI driver failed: cc' }];
    for (const i of [0, 1, 0, 1])
      await timeReference(
        series,
        i,
        async () => {
          calls.push(`n${i}`);
          return answers.shift() ?? ran(99);
        },
        (r) => ({ method: r.method }),
      );
    expect(calls).toEqual(['n0', 'n1', 'n0']);
    expect(series.runs.map((byRound) => byRound.map((t) => t?.medianMs ?? null))).toEqual([
      [1, null],
      [2, null],
    ]);
    const summary = summarised(series);
    expect(summary).toMatchObject({
      available: true,
      method: 'm4ri',
      stoppedPartWay: 'compiling the M4RI driver failed: cc',
    });
    expect(summary.available && summary.results.map((r) => r.samples)).toEqual([[1], [2]]);
  });

  it('one whose driver throws stops with the first line of its error; one that never ran says why', async () => {
    const series: ReferenceSeries<{ method: string }> = { runs: [[]], method: null, stopped: null };
    await timeReference(
      series,
      0,
      async () => {
        throw new Error('Command failed: gf2_m4ri\nsegfault');
      },
      (r: { available: true; method: string; results: ReturnType<typeof timing>[] }) => ({ method: r.method }),
    );
    expect(series.runs).toEqual([[null]]);
    expect(summarised(series)).toEqual({ available: false, reason: 'Command failed: gf2_m4ri' });
  });
});
