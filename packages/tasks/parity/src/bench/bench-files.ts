/**
 * Finding the repository's reference benchmark drivers (bench/ at the workspace root): they are
 * development tools, not part of the published package, so a caller may also pass a path.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `relative` under the nearest ancestor of this file that has it (e.g. `bench/gf2_numpy.py`), or null. */
export function findBenchFile(relative: string): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** A reference run that could not happen, and why (missing library, compiler or driver). */
export interface ReferenceUnavailable {
  available: false;
  reason: string;
}

/** One size's timing from a reference driver (same fields as `BenchEliminationResult`). */
export interface ReferenceTiming {
  n: number;
  m: number;
  method: string;
  rank: number;
  recovered: boolean;
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number[];
}

/** Checks a driver's JSON output has the fields we report; throws naming what is missing. */
export function parseTimings(text: string, driver: string): ReferenceTiming[] {
  const parsed: unknown = JSON.parse(text);
  const results = typeof parsed === 'object' && parsed !== null && 'results' in parsed ? parsed.results : undefined;
  if (!Array.isArray(results)) throw new Error(`${driver}: output has no "results" array`);
  return results.map((r: unknown, i: number) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const num = (key: string): number => {
      const v = o[key];
      if (typeof v !== 'number')
        throw new Error(`${driver}: results[${i}].${key} must be a number, but got ${JSON.stringify(v)}`);
      return v;
    };
    const samples = o['samples'];
    if (!Array.isArray(samples) || !samples.every((s) => typeof s === 'number'))
      throw new Error(`${driver}: results[${i}].samples must be numbers`);
    return {
      n: num('n'),
      m: num('m'),
      method: String(o['method']),
      rank: num('rank'),
      recovered: o['recovered'] === true,
      medianMs: num('medianMs'),
      minMs: num('minMs'),
      maxMs: num('maxMs'),
      samples: samples as number[],
    };
  });
}
