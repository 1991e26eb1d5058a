import { describe, expect, it } from 'vitest';
import { ActiveClock, etaSeconds, formatDuration } from './eta.js';

describe('etaSeconds', () => {
  it('is the steps left at the recent pace', () => {
    // 100 steps per 2 s: 800 steps left → 16 s.
    expect(
      etaSeconds(
        [
          { step: 0, seconds: 0 },
          { step: 100, seconds: 2 },
          { step: 200, seconds: 4 },
        ],
        1000,
      ),
    ).toBeCloseTo(16, 12);
  });

  it('follows a change of pace within its window of 5 intervals', () => {
    const slowThenFast = [
      { step: 0, seconds: 0 },
      { step: 100, seconds: 100 },
      ...[1, 2, 3, 4, 5].map((i) => ({ step: 100 + 100 * i, seconds: 100 + i })),
    ];
    expect(etaSeconds(slowThenFast, 1600)).toBeCloseTo(10, 12); // 1,000 steps at 100 steps/s
  });

  it('is null before two points, and 0 at the end', () => {
    expect(etaSeconds([], 10)).toBeNull();
    expect(etaSeconds([{ step: 0, seconds: 0 }], 10)).toBeNull();
    expect(
      etaSeconds(
        [
          { step: 5, seconds: 0 },
          { step: 5, seconds: 3 },
        ],
        10,
      ),
    ).toBeNull();
    expect(
      etaSeconds(
        [
          { step: 0, seconds: 0 },
          { step: 10, seconds: 3 },
        ],
        10,
      ),
    ).toBe(0);
  });
});

describe('formatDuration', () => {
  it('reads like a clock', () => {
    expect(formatDuration(8.4)).toBe('8 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
});

describe('ActiveClock', () => {
  it('does not count paused time', () => {
    const clock = new ActiveClock();
    clock.start(1000);
    expect(clock.seconds(3000)).toBe(2);
    clock.pause(3000);
    expect(clock.seconds(9000)).toBe(2);
    clock.resume(10_000);
    expect(clock.seconds(11_000)).toBe(3);
    clock.resume(12_000); // resuming a running clock changes nothing
    expect(clock.seconds(12_000)).toBe(4);
  });
});
