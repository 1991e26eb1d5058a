import { describe, expect, it } from 'vitest';
import { censoredMedian, median } from './median.js';

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
