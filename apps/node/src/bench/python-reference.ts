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

/** Debian's Python, where python3-torch and python3-numpy install. */
const PYTHON = '/usr/bin/python3';

export type Reference<T> = { available: true; result: T } | { available: false; reason: string };

/** Whether Debian's python3 can import `module`, and why not. */
export function pythonHas(module: string): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 });
    return null;
  } catch {
    return `${PYTHON} cannot import ${module} (Debian: apt-get install python3-${module})`;
  }
}

/** Runs bench/<script> with Debian's python3 and parses the JSON it prints. */
export function runPythonReference<T>(
  module: string,
  script: string,
  args: string[],
  timeoutMs = 600_000,
): Reference<T> {
  const missing = pythonHas(module);
  if (missing) return { available: false, reason: missing };
  const out = execFileSync(PYTHON, [`${BENCH_DIR}${script}`, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  return { available: true, result: JSON.parse(out.trim().split('\n').pop() as string) as T };
}
