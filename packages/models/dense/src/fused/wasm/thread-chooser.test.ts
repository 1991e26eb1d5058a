import { describe, expect, it } from 'vitest';
import { ThreadChooser } from './thread-chooser.js';

/** Runs `steps` steps where a threaded step costs `threaded` µs and one alone `alone` µs; counts threaded steps after the first 20. */
function threadedShare(alone: number, threaded: number, steps = 220): number {
  const chooser = new ThreadChooser();
  let count = 0;
  for (let i = 0; i < steps; i++) {
    const useThreads = chooser.choose('shape');
    chooser.record('shape', useThreads, useThreads ? threaded : alone);
    if (i >= 20 && useThreads) count++;
  }
  return count / (steps - 20);
}

describe('ThreadChooser', () => {
  it('tries both ways first, then keeps the faster, re-trying the other now and then', () => {
    expect(threadedShare(200, 120)).toBeGreaterThan(0.95);
    expect(threadedShare(200, 120)).toBeLessThan(1);
    expect(threadedShare(200, 400)).toBeLessThan(0.05);
    expect(threadedShare(200, 400)).toBeGreaterThan(0);
  });

  it('follows a change of load', () => {
    const chooser = new ThreadChooser();
    /** Share of threaded steps among the last 40 of `steps`. */
    const run = (threadedCost: number, steps: number) => {
      let threaded = 0;
      for (let i = 0; i < steps; i++) {
        const t = chooser.choose('s');
        chooser.record('s', t, t ? threadedCost : 200);
        if (i >= steps - 40 && t) threaded++;
      }
      return threaded / 40;
    };
    expect(run(100, 100)).toBeGreaterThan(0.9);
    expect(run(900, 300)).toBeLessThan(0.1);
  });

  it('keeps shapes apart', () => {
    const chooser = new ThreadChooser();
    for (let i = 0; i < 30; i++) {
      for (const [shape, threadedCost] of [
        ['a', 100],
        ['b', 900],
      ] as const) {
        const t = chooser.choose(shape);
        chooser.record(shape, t, t ? threadedCost : 200);
      }
    }
    expect(chooser.choose('a')).toBe(true);
    expect(chooser.choose('b')).toBe(false);
  });
});
