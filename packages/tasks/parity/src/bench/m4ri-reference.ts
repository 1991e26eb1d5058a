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

/** Where the driver comes from: its source, the compiler, and the header that says M4RI is installed. */
export interface M4riBuildConfig {
  /** Path of the driver source. Default: bench/m4ri/gf2_m4ri.c above this package. */
  sourcePath?: string;
  /** C compiler. Default `cc`. */
  compiler?: string;
  /** M4RI header whose presence says the library is installed. Default /usr/include/m4ri/m4ri.h (Debian `libm4ri-dev`). */
  header?: string;
}

/** What one timing run of the driver does. */
export interface M4riTimingConfig {
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
}

export type M4riReferenceConfig = M4riBuildConfig & M4riTimingConfig;

export interface M4riReferenceResult {
  available: true;
  method: string;
  full: boolean;
  results: ReferenceTiming[];
}

/**
 * The compiled driver, for callers that time it many times (`bench elimination`'s sizes × rounds):
 * `time` runs it once per call; `dispose` deletes the binary and its temporary directory, after
 * which `time` throws.
 */
export interface M4riDriver {
  available: true;
  binary: string;
  time(config?: M4riTimingConfig): Promise<M4riReferenceResult>;
  dispose(): void;
}

/** Compiles the driver (`cc -O2 … -lm4ri`) into a temporary directory, or says why it cannot. */
export async function buildM4riDriver(config: M4riBuildConfig = {}): Promise<M4riDriver | ReferenceUnavailable> {
  const { compiler = 'cc', header = '/usr/include/m4ri/m4ri.h' } = config;
  if (!existsSync(header))
    return {
      available: false,
      reason: `M4RI is not installed (${header} missing; Debian: apt-get install libm4ri-dev)`,
    };
  const source = config.sourcePath ?? findBenchFile(join('bench', 'm4ri', 'gf2_m4ri.c'));
  if (source === null || !existsSync(source))
    return { available: false, reason: 'driver source bench/m4ri/gf2_m4ri.c not found; pass sourcePath' };
  const dir = mkdtempSync(join(tmpdir(), 'gf2-m4ri-'));
  const binary = join(dir, 'gf2_m4ri');
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run(compiler, ['-O2', '-o', binary, source, '-lm4ri', '-lm']);
  } catch (error) {
    dispose();
    return { available: false, reason: `compiling the M4RI driver failed: ${errorText(error)}` };
  }
  const time = async (timing: M4riTimingConfig = {}): Promise<M4riReferenceResult> => {
    const { sizes = [64, 256, 1024, 4096], extra = 20, repeats = 5, method = 'm4ri', full = false } = timing;
    if (!existsSync(binary)) throw new Error('the M4RI driver was disposed; build it again (buildM4riDriver)');
    const args = [
      '--extra',
      String(extra),
      '--repeats',
      String(repeats),
      '--method',
      method,
      '--full',
      full ? '1' : '0',
    ];
    const { stdout } = await run(binary, [...args, ...sizes.map(String)], { maxBuffer: 16 * 1024 * 1024 });
    return { available: true, method, full, results: parseTimings(stdout, 'gf2_m4ri') };
  };
  return { available: true, binary, time, dispose };
}

/** Times M4RI at each size with a driver built for this call alone, or says why it cannot. */
export async function runM4riReference(
  config: M4riReferenceConfig = {},
): Promise<M4riReferenceResult | ReferenceUnavailable> {
  const driver = await buildM4riDriver(config);
  if (!driver.available) return driver;
  try {
    return await driver.time(config);
  } finally {
    driver.dispose();
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
