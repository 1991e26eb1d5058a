/**
 * Runs the bit-packed numpy reference (bench/gf2_numpy.py) on the same kind of planted systems
 * as `benchElimination`. Node only (spawns python3).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBenchFile, parseTimings } from './bench-files.js';
import type { ReferenceTiming, ReferenceUnavailable } from './bench-files.js';

const run = promisify(execFile);

export interface NumpyReferenceConfig {
  /** Numbers of unknowns n. Default [64, 256, 1024, 4096]. */
  sizes?: readonly number[];
  /** Rows beyond n (m = n + extra). Default 20. */
  extra?: number;
  /** Timed runs per size. Default 5. */
  repeats?: number;
  /** `m4r` (Four Russians, vectorised) or `plain` (one vectorised row XOR per pivot). Default `m4r`. */
  method?: 'm4r' | 'plain';
  /** Python interpreter. Default `python3`. */
  python?: string;
  /** Path of the script. Default: bench/gf2_numpy.py above this package. */
  scriptPath?: string;
}

export interface NumpyReferenceResult {
  available: true;
  method: string;
  numpyVersion: string;
  results: ReferenceTiming[];
}

/** Times the numpy solver at each size, or says why it cannot (python3, numpy or the script missing). */
export async function runNumpyReference(
  config: NumpyReferenceConfig = {},
): Promise<NumpyReferenceResult | ReferenceUnavailable> {
  const { sizes = [64, 256, 1024, 4096], extra = 20, repeats = 5, method = 'm4r', python = 'python3' } = config;
  const script = config.scriptPath ?? findBenchFile(join('bench', 'gf2_numpy.py'));
  if (script === null || !existsSync(script))
    return { available: false, reason: 'bench/gf2_numpy.py not found; pass scriptPath' };
  try {
    await hasNumpy(python);
  } catch {
    return {
      available: false,
      reason: `${python} with numpy is not available (Debian: apt-get install python3-numpy)`,
    };
  }
  const args = [
    script,
    '--method',
    method,
    '--extra',
    String(extra),
    '--repeats',
    String(repeats),
    ...sizes.map(String),
  ];
  const { stdout } = await run(python, args, { maxBuffer: 16 * 1024 * 1024 });
  const parsed = JSON.parse(stdout) as { numpy?: unknown };
  return { available: true, method, numpyVersion: String(parsed.numpy), results: parseTimings(stdout, 'gf2_numpy.py') };
}

/** Pythons known to import numpy in this process: `bench elimination` runs the script per size and round. */
const withNumpy = new Set<string>();

async function hasNumpy(python: string): Promise<void> {
  if (withNumpy.has(python)) return;
  await run(python, ['-c', 'import numpy']);
  withNumpy.add(python);
}
