/**
 * Tests only: run a script in a fresh Node process, the way a user's plain-Node ESM script runs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package root: the child's cwd, so `@learnability/backends` resolves to this package. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the last stdout chunk to the process's exit. */
  exitDelayMs: number;
}

/**
 * Runs ESM `source` with `node --conditions=source --import tsx` (TypeScript sources, no build,
 * no vitest). Kills it after `timeoutMs`.
 */
export function runNodeScript(source: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '--eval', source],
      { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let lastOutput = performance.now();
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      lastOutput = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, exitDelayMs: performance.now() - lastOutput });
    });
  });
}

/** Dawn's own stderr lines about adapter limits (native code, not ours); dropped before asserting silence. */
export function withoutDawnNotes(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^Warning: maxDynamic\w+ artificially reduced/.test(line))
    .join('\n')
    .trim();
}
