import { describe, expect, it } from 'vitest';
import { censoredMedian, median, summarizeSamples } from './median.js';
import { createRng } from './rng.js';

/** The ordinary median of the list with a value never reached as +∞: censoredMedian's rule without censoring times. */
const medianWithNever = (xs: readonly (number | null)[]): number | null => {
  const m = median(xs.map((x) => x ?? Number.POSITIVE_INFINITY));
  return Number.isFinite(m) ? m : null;
};

/** Plain reference: sort, then pick by the textbook rule. */
function reference(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

describe('median', () => {
  it('is NaN for no values, and for any NaN among them whatever the order', () => {
    expect(median([])).toBeNaN();
    // The sort's comparator gave NaN and the answer hung on the order: 1.5 for this one.
    expect(median([Number.NaN, 3, 1, 2])).toBeNaN();
    // From plain JS: [1, undefined, 3] gave 3, and ['10', '9', '1'] the string '9'.
    expect(median([1, undefined, 3] as never)).toBeNaN();
    expect(median(['10', '9', '1'] as never)).toBeNaN();
    expect(median([2, Number.NaN, 1, 3])).toBeNaN();
  });

  it('is the middle value for an odd count and the mean of the middle two for an even count', () => {
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });

  it('sorts numerically, not as strings, and leaves its input alone', () => {
    const xs = [10, 9, 100, 2];
    expect(median(xs)).toBe(9.5);
    expect(xs).toEqual([10, 9, 100, 2]);
  });

  it('handles negatives, duplicates and infinities', () => {
    expect(median([-3, -1, -2])).toBe(-2);
    expect(median([5, 5, 5, 1])).toBe(5);
    expect(median([Number.POSITIVE_INFINITY, 1, 2])).toBe(2);
  });

  it('agrees with a plain reference on random lists', () => {
    let s = 12345;
    const next = () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial++) {
      const xs = Array.from({ length: 1 + Math.floor(next() * 20) }, () => Math.round((next() - 0.5) * 1000) / 10);
      expect(median(xs)).toBe(reference(xs));
    }
  });
});

describe('censoredMedian', () => {
  it('counts a value never reached (null) as never: null unless more than half were reached', () => {
    expect(censoredMedian([100, 300, null])).toBe(300);
    expect(censoredMedian([100, null])).toBeNull(); // half: the median is not reached
    expect(censoredMedian([null, 100, null, 200, 50])).toBe(200);
    expect(censoredMedian([null, null])).toBeNull();
    expect(censoredMedian([])).toBeNull();
    expect(censoredMedian([100, 200])).toBe(150);
  });

  it('gives no median where 3 of 8 learned early, where the median of the learned alone says 100', () => {
    const steps = [100, 100, 100, null, null, null, null, null];
    expect(median([100, 100, 100])).toBe(100);
    expect(censoredMedian(steps)).toBeNull();
  });
});

describe('censoredMedian with censoring times (Kaplan–Meier)', () => {
  it('is the ordinary median, never reached as +∞, when no time is given or none stops before the last event', () => {
    const rng = createRng(7);
    const next = () => rng.uniform();
    for (let trial = 0; trial < 300; trial++) {
      const xs = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        next() < 0.35 ? null : 10 * Math.floor(next() * 8),
      );
      expect(censoredMedian(xs)).toBe(medianWithNever(xs));
      expect(
        censoredMedian(
          xs,
          xs.map(() => 1000),
        ),
      ).toBe(medianWithNever(xs));
    }
  });

  it("gives the textbook estimate: Gehan's 6-MP arm (Freireich et al. 1963), median remission 23 weeks", () => {
    // Weeks in remission of the 21 patients on 6-MP; a relapse is reached, a '+' time is censored.
    const relapsed = [6, 6, 6, 7, 10, 13, 16, 22, 23];
    const censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
    const values = [...relapsed, ...censored.map(() => null)];
    expect(censoredMedian(values, [...relapsed, ...censored])).toBe(23);
    // Counted as never relapsing instead, fewer than half relapsed: no median.
    expect(censoredMedian(values)).toBeNull();
  });

  it('does not count a replica stopped at 200 steps as never learning by step 800 (a sweep over run.steps)', () => {
    const learnedAt = [null, null, null, 700, 800, 900];
    const ranTo = [200, 200, 200, 2000, 2000, 2000];
    expect(censoredMedian(learnedAt, ranTo)).toBe(800);
    expect(censoredMedian(learnedAt)).toBeNull();
    // Exactly half still waiting after 800 (¾ · ⅔): midway to the next time, as the median of an even count.
    expect(censoredMedian([null, 700, 800, 900, 1000], [200, 2000, 2000, 2000, 2000])).toBe(850);
    // Half still waiting and no later time: not reached.
    expect(censoredMedian([null, 700, null], [200, 2000, 2000])).toBeNull();
  });

  it('refuses a censoring list of another length, and gives null for a NaN time', () => {
    expect(() => censoredMedian([1, null], [5])).toThrow(
      'censoredMedian: censoredAt holds 1 values for 2 times; give one per time',
    );
    expect(censoredMedian([1, Number.NaN, 2])).toBeNull();
    expect(() => censoredMedian([5, null, 3], [0, Number.NaN, 0])).toThrow(
      'censoredMedian: censoredAt[1] is NaN; give the time value 1 stopped being watched',
    );
    // A time of +∞ is never reached, as null is.
    expect(censoredMedian([Number.POSITIVE_INFINITY, 1])).toBeNull();
    expect(censoredMedian([Number.POSITIVE_INFINITY, 1, 2])).toBe(2);
  });
});

describe('summarizeSamples', () => {
  it('gives median, min, max and keeps the samples in order', () => {
    expect(summarizeSamples([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, samples: [3, 1, 2] });
    expect(summarizeSamples([4, 1, 2, 3]).median).toBe(2.5);
  });
  it('rejects an empty list', () => {
    expect(() => summarizeSamples([])).toThrow(/at least one sample/);
  });
  it('refuses a NaN sample, which left min above max', () => {
    expect(() => summarizeSamples([3, Number.NaN, 1])).toThrow(
      'summarizeSamples: sample 1 is NaN; give measured numbers, not failed measurements',
    );
  });
});
