import { describe, expect, it } from 'vitest';
import { runArgs } from './run-wall.js';

describe('runArgs', () => {
  it("passes the bench's --threads to the runs that may train on wasm, and to no other", () => {
    const args = (backend: string, threads: number | null) =>
      runArgs('sparse-parity', backend, ['task.n=12'], threads, '/tmp/o');
    expect(args('wasm', 2)).toEqual([
      ...['run', 'sparse-parity', '--backend', 'wasm', '--json', '--out', '/tmp/o'],
      ...['--set', 'task.n=12', '--threads', '2'],
    ]);
    expect(args('auto', 2).slice(-2)).toEqual(['--threads', '2']);
    // `run` refuses --threads off wasm; and without the flag each run measures its own.
    for (const [backend, threads] of [
      ['webgpu', 2],
      ['cpu', 2],
      ['wasm', null],
    ] as const)
      expect(args(backend, threads)).not.toContain('--threads');
  });
});
