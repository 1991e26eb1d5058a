import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offWasm } from '../schema-flags.js';

/** One `learnability run <preset> --backend b` as a user runs it, timed from spawn to exit. */
export interface RunWall {
  /** The backend asked for (`auto` included). */
  requested: string;
  /** The backend the run used. */
  backend: string;
  /** Seconds from spawning the CLI to its exit: Node start-up, backend set-up, training, evaluation, the record. */
  seconds: number;
  /** The run's own wall time (`wallSeconds` of its summary): the loop from its test set to its end line, evaluations and checkpoint writes included. */
  runSeconds: number;
  steps: number;
  learnedAtStep: number | null;
  /** The run's `training step:` log line (`Trainer.describeStep`), when it printed one. */
  trainStep: string | null;
}

/**
 * The CLI arguments of one timed run: `run <preset> --backend <backend> --json --out <out>`, the
 * `--set`s, and `--threads` where given and the backend may be wasm (the bench's --threads).
 */
export function runArgs(
  preset: string,
  backend: string,
  set: readonly string[],
  threads: number | null,
  out: string,
): string[] {
  return [
    ...['run', preset, '--backend', backend, '--json', '--out', out],
    ...set.flatMap((s) => ['--set', s]),
    ...(threads !== null && !offWasm(backend) ? ['--threads', String(threads)] : []),
  ];
}

/**
 * Spawns this same CLI (same Node, same flags: tsx from sources, or the built `dist/bin.js` of a
 * bundle) with `runArgs`, records in a temporary folder that is removed afterwards, and times it.
 * Throws with the child's last stderr line when it fails.
 */
export function timeRunCommand(
  preset: string,
  backend: string,
  set: readonly string[],
  threads: number | null,
): Promise<RunWall> {
  const out = mkdtempSync(join(tmpdir(), 'learnability-bench-run-'));
  const args = [...process.execArgv, process.argv[1] as string, ...runArgs(preset, backend, set, threads, out)];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LEARNABILITY_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      rmSync(out, { recursive: true, force: true });
      if (code !== 0) {
        const last = stderr.trim().split('\n').pop() ?? '';
        return reject(
          new Error(`bench gpu: "learnability run ${preset} --backend ${backend}" exited with ${code}: ${last}`),
        );
      }
      const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as {
        backend: string;
        steps: number;
        learnedAtStep: number | null;
        wallSeconds: number;
      };
      const trainStep = /^training step: (.*)$/m.exec(stderr)?.[1] ?? null;
      resolve({
        requested: backend,
        backend: summary.backend,
        seconds,
        runSeconds: summary.wallSeconds,
        steps: summary.steps,
        learnedAtStep: summary.learnedAtStep,
        trainStep,
      });
    });
  });
}
