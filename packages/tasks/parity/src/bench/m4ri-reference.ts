/**
 * Runs the M4RI reference (bench/m4ri/gf2_m4ri.c, the C library of Albrecht & Bard) on the same
 * kind of planted systems as `benchElimination`: compiles the driver with `cc -O2 … -lm4ri`
 * into a temporary directory, runs it, parses its JSON. Node only (spawns processes).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBenchFile, parseTimings } from './bench-files.js';
import type { ReferenceTiming, ReferenceUnavailable } from './bench-files.js';

const run = promisify(execFile);

export interface M4riReferenceConfig {
  /** Numbers of unknowns n. Default [64, 256, 1024, 4096]. */
  sizes?: readonly number[];
  /** Rows beyond n (m = n + extra). Default 20. */
  extra?: number;
  /** Timed runs per size. Default 5. */
  repeats?: number;
  /** M4RI routine: `m4ri` (mzd_echelonize_m4ri, Four Russians), `pluq` or `echelonize` (M4RI picks). Default `m4ri`. */
  method?: 'm4ri' | 'pluq' | 'echelonize';
  /** Reduced row echelon form (true) or row echelon form (false, what a solver with back-substitution needs — like ours). Default false. */
  full?: boolean;
  /** Path of the driver source. Default: bench/m4ri/gf2_m4ri.c above this package. */
  sourcePath?: string;
  /** C compiler. Default `cc`. */
  compiler?: string;
  /** M4RI header whose presence says the library is installed. Default /usr/include/m4ri/m4ri.h (Debian `libm4ri-dev`). */
  header?: string;
}

export interface M4riReferenceResult {
  available: true;
  method: string;
  full: boolean;
  results: ReferenceTiming[];
}

/** Times M4RI at each size, or says why it cannot (library, compiler or driver missing). */
export async function runM4riReference(
  config: M4riReferenceConfig = {},
): Promise<M4riReferenceResult | ReferenceUnavailable> {
  const {
    sizes = [64, 256, 1024, 4096],
    extra = 20,
    repeats = 5,
    method = 'm4ri',
    full = false,
    compiler = 'cc',
    header = '/usr/include/m4ri/m4ri.h',
  } = config;
  if (!existsSync(header))
    return {
      available: false,
      reason: `M4RI is not installed (${header} missing; Debian: apt-get install libm4ri-dev)`,
    };
  const source = config.sourcePath ?? findBenchFile(join('bench', 'm4ri', 'gf2_m4ri.c'));
  if (source === null || !existsSync(source))
    return { available: false, reason: 'driver source bench/m4ri/gf2_m4ri.c not found; pass sourcePath' };
  const dir = mkdtempSync(join(tmpdir(), 'gf2-m4ri-'));
  try {
    const binary = join(dir, 'gf2_m4ri');
    try {
      await run(compiler, ['-O2', '-o', binary, source, '-lm4ri', '-lm']);
    } catch (error) {
      return { available: false, reason: `compiling the M4RI driver failed: ${errorText(error)}` };
    }
    const args = [
      '--extra',
      String(extra),
      '--repeats',
      String(repeats),
      '--method',
      method,
      '--full',
      full ? '1' : '0',
      ...sizes.map(String),
    ];
    const { stdout } = await run(binary, args, { maxBuffer: 16 * 1024 * 1024 });
    return { available: true, method, full, results: parseTimings(stdout, 'gf2_m4ri') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function errorText(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'stderr' in error &&
    typeof error.stderr === 'string' &&
    error.stderr.trim()
  ) {
    return error.stderr.trim().split('\n').slice(0, 3).join(' ');
  }
  return error instanceof Error ? error.message : String(error);
}
