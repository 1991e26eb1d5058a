/**
 * A test's script in a fresh Node process: wasm's thread count is fixed once per process and
 * tests run wasm on one thread, so a check of the threaded (shared-heap) build runs apart.
 */
import { spawnSync } from 'node:child_process';

/**
 * Runs `script` (an ES module in plain JS; what it imports may be TypeScript, through tsx, which
 * `cwd` must resolve) with the workspace's `source` condition in `cwd` (a package root, so its
 * relative imports resolve), within 60 s; returns what it wrote. Throws where the process could
 * not start, timed out or exited other than 0, with the end of its stderr: an empty stdout is
 * never a failure's only sign.
 */
export function runInFreshProcess(script: string, cwd: string): { stdout: string; stderr: string } {
  const run = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '--eval', script],
    { cwd, encoding: 'utf8', timeout: 60_000 },
  );
  const how = run.error
    ? run.error.message
    : run.status !== 0
      ? `exited with ${run.status ?? `signal ${run.signal}`}`
      : null;
  if (how !== null)
    throw new Error(
      `runInFreshProcess: the script's process ${how}; its stderr ends:\n${(run.stderr ?? '').slice(-2000)}`,
    );
  return { stdout: run.stdout, stderr: run.stderr };
}
