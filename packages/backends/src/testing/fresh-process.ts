/**
 * A test's script in a fresh Node process: wasm's thread count is fixed once per process and
 * tests run wasm on one thread, so a check of the threaded (shared-heap) build runs apart.
 */
import { spawnSync } from 'node:child_process';

/**
 * Runs `script` (an ES module, TypeScript allowed) with the workspace's `source` condition in
 * `cwd` (a package root, so its relative imports resolve), within 60 s; returns what it wrote.
 */
export function runInFreshProcess(script: string, cwd: string): { stdout: string; stderr: string } {
  const run = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '--eval', script],
    { cwd, encoding: 'utf8', timeout: 60_000 },
  );
  return { stdout: run.stdout, stderr: run.stderr };
}
