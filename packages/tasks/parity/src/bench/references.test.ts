import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimings } from './bench-files.js';
import { buildM4riDriver, runM4riReference } from './m4ri-reference.js';
import { runNumpyReference } from './numpy-reference.js';

// The references are optional (.ci/run installs them from Debian when it can): a machine without
// one skips its test, and the report counts it as skipped, not passed.
const hasM4ri = existsSync('/usr/include/m4ri/m4ri.h');
const hasNumpy = spawnSync('python3', ['-c', 'import numpy']).status === 0;

describe('reference runners', () => {
  it.skipIf(!hasM4ri)('runs M4RI on planted systems (libm4ri-dev installed)', async () => {
    const result = await runM4riReference({ sizes: [64, 100], repeats: 2 });
    if (!result.available) throw new Error(result.reason);
    expect(result.results.map((r) => [r.n, r.m, r.rank, r.recovered, r.samples.length])).toEqual([
      [64, 84, 64, true, 2],
      [100, 120, 100, true, 2],
    ]);
  });

  it.skipIf(!hasM4ri)('builds the M4RI driver once for many timings, then deletes it', async () => {
    const driver = await buildM4riDriver();
    if (!driver.available) throw new Error(driver.reason);
    try {
      const first = await driver.time({ sizes: [32], repeats: 1 });
      const second = await driver.time({ sizes: [48], repeats: 2, method: 'pluq' });
      expect(first.results.map((r) => [r.n, r.recovered])).toEqual([[32, true]]);
      expect([second.method, second.results[0]?.n, second.results[0]?.samples.length]).toEqual(['pluq', 48, 2]);
    } finally {
      driver.dispose();
    }
    expect(existsSync(dirname(driver.binary))).toBe(false);
    await expect(driver.time({ sizes: [32] })).rejects.toThrow(/disposed; build it again/);
  });

  it('leaves no directory behind when the driver does not compile', async () => {
    // A temporary directory of this test's own, so that no other test's driver shares it.
    const tmp = mkdtempSync(join(tmpdir(), 'm4ri-test-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const result = await buildM4riDriver({ compiler: '/nonexistent/cc', header: '/dev/null' });
      expect(result).toEqual({ available: false, reason: expect.stringContaining('compiling the M4RI driver failed') });
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('reports a missing library instead of failing', async () => {
    const result = await runM4riReference({ sizes: [8], header: '/nonexistent/m4ri.h' });
    expect(result).toEqual({ available: false, reason: expect.stringContaining('libm4ri-dev') });
  });

  it.skipIf(!hasNumpy)('runs the numpy reference (python3-numpy installed)', async () => {
    const result = await runNumpyReference({ sizes: [64], repeats: 2 });
    if (!result.available) throw new Error(result.reason);
    expect(result.results.map((r) => [r.n, r.rank, r.recovered])).toEqual([[64, 64, true]]);
    expect((await runNumpyReference({ sizes: [40], repeats: 1, method: 'plain' })).available).toBe(true);
  });

  it('reports a missing numpy or script instead of failing', async () => {
    expect(await runNumpyReference({ sizes: [8], python: '/nonexistent/python3' })).toEqual({
      available: false,
      reason: expect.stringContaining('python3-numpy'),
    });
    expect(await runNumpyReference({ sizes: [8], scriptPath: '/nonexistent/gf2_numpy.py' })).toEqual({
      available: false,
      reason: expect.stringContaining('gf2_numpy.py not found'),
    });
  });

  it('rejects driver output without the fields it reports', () => {
    expect(() => parseTimings('{"results":[{"n":1,"samples":[]}]}', 'driver')).toThrow(
      /results\[0\].m must be a number/,
    );
    expect(() => parseTimings('{}', 'driver')).toThrow(/no "results" array/);
  });
});
