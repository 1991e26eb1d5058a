import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTimings } from './bench-files.js';
import { runM4riReference } from './m4ri-reference.js';
import { runNumpyReference } from './numpy-reference.js';

describe('reference runners', () => {
  it('runs M4RI on planted systems when libm4ri-dev is installed, and says why not otherwise', async () => {
    const result = await runM4riReference({ sizes: [64, 100], repeats: 2 });
    if (!existsSync('/usr/include/m4ri/m4ri.h')) {
      expect(result).toMatchObject({ available: false });
      return;
    }
    if (!result.available) throw new Error(result.reason);
    expect(result.results.map((r) => [r.n, r.m, r.rank, r.recovered, r.samples.length])).toEqual([
      [64, 84, 64, true, 2],
      [100, 120, 100, true, 2],
    ]);
  });

  it('reports a missing library instead of failing', async () => {
    const result = await runM4riReference({ sizes: [8], header: '/nonexistent/m4ri.h' });
    expect(result).toEqual({ available: false, reason: expect.stringContaining('libm4ri-dev') });
  });

  it('runs the numpy reference, or says why not', async () => {
    const result = await runNumpyReference({ sizes: [64], repeats: 2 });
    if (!result.available) {
      expect(result.reason).toMatch(/numpy|gf2_numpy/);
      return;
    }
    expect(result.results.map((r) => [r.n, r.rank, r.recovered])).toEqual([[64, 64, true]]);
    expect((await runNumpyReference({ sizes: [40], repeats: 1, method: 'plain' })).available).toBe(true);
  });

  it('rejects driver output without the fields it reports', () => {
    expect(() => parseTimings('{"results":[{"n":1,"samples":[]}]}', 'driver')).toThrow(
      /results\[0\].m must be a number/,
    );
    expect(() => parseTimings('{}', 'driver')).toThrow(/no "results" array/);
  });
});
