import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The repo's bench/ folder (reference scripts), or `LEARNABILITY_BENCH_DIR` where the CLI runs
 * outside the repository (a deployed bundle has no bench/ beside it).
 */
export const BENCH_DIR = process.env.LEARNABILITY_BENCH_DIR
  ? `${process.env.LEARNABILITY_BENCH_DIR.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../../bench/', import.meta.url));

/**
 * The Python every reference runs on: `$LEARNABILITY_PYTHON`, else Debian's (where python3-torch
 * and python3-numpy install; a pyenv python3 on PATH usually has neither), else python3 on PATH.
 */
export const referencePython = (): string =>
  process.env.LEARNABILITY_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export type Reference<T> = { available: true; result: T } | { available: false; reason: string };

/** `pythonHas`'s answers: importing torch takes a second or more, and bench train asks once a round. */
const imports = new Map<string, string | null>();

/** Whether the reference Python can import `module`, and why not (asked once per module and process). */
export function pythonHas(module: string): string | null {
  const known = imports.get(module);
  if (known !== undefined) return known;
  const python = referencePython();
  let missing: string | null = null;
  if (python.includes('/') && !existsSync(python)) missing = `${python} not found`;
  else
    try {
      execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 });
    } catch {
      missing = `${python} cannot import ${module} (Debian: apt-get install python3-${module})`;
    }
  imports.set(module, missing);
  return missing;
}

/** Runs bench/<script> with the reference Python and parses the JSON it prints. */
export function runPythonReference<T>(
  module: string,
  script: string,
  args: string[],
  timeoutMs = 600_000,
): Reference<T> {
  const missing = pythonHas(module);
  if (missing) return { available: false, reason: missing };
  const out = execFileSync(referencePython(), [`${BENCH_DIR}${script}`, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  return { available: true, result: JSON.parse(out.trim().split('\n').pop() as string) as T };
}

/**
 * The PyTorch reference's CPU BLAS in words (bench/torch_common.py's `blas_library`): Debian's
 * python3-torch calls whichever libblas.so.3 is installed, and the reference BLAS makes its
 * matrix products ~25× slower than OpenBLAS, which would flatter our ratios.
 */
export function blasWords(path: string | undefined, threads?: number): string {
  if (path === undefined) return 'BLAS not reported';
  // OpenBLAS keeps its own thread pool (OPENBLAS_NUM_THREADS, else every core), whatever torch's thread count.
  const pool = threads === undefined ? '' : ` on ${threads} thread(s) (set with OPENBLAS_NUM_THREADS)`;
  if (path.includes('openblas')) return `OpenBLAS (${path})${pool}`;
  return `BLAS ${path}: not OpenBLAS, so PyTorch's CPU products run far below their usual speed (install Debian's libopenblas0-pthread for a fair reference)`;
}
