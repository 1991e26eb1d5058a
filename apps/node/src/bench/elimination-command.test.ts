import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { benchEliminationCommand } from './elimination-command.js';

/** Collects what a command writes, and its progress lines (which say what it is timing, in order). */
function captured(): Io & { lines: string[]; statuses: string[] } {
  const lines: string[] = [];
  const statuses: string[] = [];
  return {
    lines,
    statuses,
    out: (l) => lines.push(l),
    err: () => undefined,
    status: (l) => statuses.push(l),
    interactive: false,
  };
}

interface Timing {
  n: number;
  medianMs: number;
  samples: number[];
  recovered: boolean;
}

describe('learnability bench elimination --rounds', () => {
  it('times each size ours then the references in every round, pools the solves, and takes M4RI ÷ ours within each round', async () => {
    const io = captured();
    const code = await benchEliminationCommand(['--sizes', '32,48', '--repeats', '2', '--rounds', '2', '--json'], io);
    expect(code).toBe(0);
    const out = JSON.parse(io.lines.join('\n')) as {
      rounds: number;
      ours: Timing[];
      m4ri: { available: true; results: Timing[] } | { available: false; reason: string };
      numpy: { available: boolean };
      ratiosVsM4ri: { n: number; ratio: { median: number; samples: number[] } | null }[];
      ratioVsM4ri: number | null;
    };
    expect(out.rounds).toBe(2);
    // The M4RI driver compiled once, before any timing; then each size ours, then each reference
    // that runs here, before the next size; then again.
    const refs = [...(out.m4ri.available ? ['M4RI'] : []), ...(out.numpy.available ? ['numpy'] : [])];
    const round = (r: number) =>
      [32, 48].flatMap((n) => [
        `timing learnability GF(2) elimination at n = ${n} (round ${r} of 2)…`,
        ...refs.map((name) => `timing ${name} at n = ${n} (round ${r} of 2)…`),
      ]);
    expect(io.statuses.filter((l) => l !== '')).toEqual(['compiling the M4RI driver…', ...round(1), ...round(2)]);
    expect(out.ours.map((r) => [r.n, r.samples.length, r.recovered])).toEqual([
      [32, 4, true],
      [48, 4, true],
    ]);
    if (!out.m4ri.available) {
      // Not installed here (no libm4ri-dev): said once, and no ratio. Where its header is, the
      // driver must have compiled (a broken driver passed as "not installed").
      expect(existsSync('/usr/include/m4ri/m4ri.h'), String(out.m4ri.reason)).toBe(false);
      expect(out.m4ri.reason).toMatch(/M4RI is not installed/);
      expect(out.ratioVsM4ri).toBeNull();
      return;
    }
    expect(out.m4ri.results.map((r) => [r.n, r.samples.length, r.recovered])).toEqual([
      [32, 4, true],
      [48, 4, true],
    ]);
    for (const { ratio } of out.ratiosVsM4ri) expect(ratio?.samples).toHaveLength(2);
    const largest = out.ratiosVsM4ri[1]?.ratio;
    expect(out.ratioVsM4ri).toBe(largest?.median);
    expect(largest?.median).toBeCloseTo(((largest?.samples[0] ?? 0) + (largest?.samples[1] ?? 0)) / 2, 12);
  }, 120_000);
});
