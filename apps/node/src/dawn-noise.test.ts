import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../test/cli.js';

// Every CLI run here loads a fake Dawn in place of npm `webgpu` (test/fake-dawn): it writes Dawn's
// "Couldn't load Vulkan" warning to the native fd 2, records its pid, and finds no adapter.
const REGISTER = fileURLToPath(new URL('../test/fake-dawn/register.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'learnability-dawn-'));
const small = [
  '--set',
  'task.n=12',
  '--set',
  'model.widths=[32]',
  '--set',
  'run.testSize=200',
  '--steps',
  '20',
  '--out',
  dir,
];
let calls = 0;

/** Runs the CLI under the fake Dawn; `loads` lists the pids of the processes that loaded it. */
function underFakeDawn(args: string[], debug = false) {
  const loadsFile = join(dir, `loads-${++calls}.txt`);
  const r = cli(args, undefined, {
    nodeArgs: ['--import', REGISTER],
    env: { FAKE_DAWN_LOADS: loadsFile, ...(debug ? { LEARNABILITY_DEBUG: '1' } : {}) },
  });
  const loads = existsSync(loadsFile) ? readFileSync(loadsFile, 'utf8').trim().split('\n') : [];
  return { ...r, loads };
}

describe('Dawn stays quiet on runs that do not use WebGPU', () => {
  it('run --backend wasm never loads Dawn and leaves stderr empty', () => {
    const r = underFakeDawn(['run', 'sparse-parity', ...small, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.loads).toEqual([]);
    expect(r.stdout).toMatch(/ on wasm(?: \(.*\))?: \d+ replica/);
  });

  it('run --backend cpu never loads Dawn either', () => {
    const r = underFakeDawn(['run', 'sparse-parity', ...small, '--backend', 'cpu']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.loads).toEqual([]);
  });

  it('--help, presets and plot never load Dawn', () => {
    for (const args of [['--help'], ['presets'], ['plot', '--help'], ['run', '--help']]) {
      const r = underFakeDawn(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.loads, args.join(' ')).toEqual([]);
    }
  });

  it('auto asks Dawn in a child process: the warning stays off stderr and the run falls back to wasm', () => {
    const r = underFakeDawn(['run', 'sparse-parity', ...small]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ on wasm(?: \(.*\))?: \d+ replica/);
    expect(r.loads).toHaveLength(1);
  });

  it("with LEARNABILITY_DEBUG=1 the warning goes to the debug log, marked as Dawn's", () => {
    const r = underFakeDawn(['backends'], true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\[dawn\] Warning: Couldn't load Vulkan: libvulkan\.so\.1/m);
    expect(r.stderr).toMatch(/^\[dawn\] {5}at operator\(\)/m);
  });

  it('backends reports webgpu unavailable with its fix, quietly', () => {
    const r = underFakeDawn(['backends', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const { backends } = JSON.parse(r.stdout) as { backends: { name: string; available: boolean; reason?: string }[] };
    expect(backends.find((b) => b.name === 'webgpu')).toEqual({
      name: 'webgpu',
      available: false,
      reason: expect.stringMatching(
        /^no GPU adapter \(Dawn found none\); install a Vulkan driver .* or use --backend wasm$/,
      ),
    });
  });

  it('--backend webgpu still fails with one line naming the fix, and never loads Dawn into the CLI itself', () => {
    const r = underFakeDawn(['run', 'sparse-parity', ...small, '--backend', 'webgpu']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: backend "webgpu" is unavailable: no GPU adapter \(Dawn found none\); .*--backend wasm$/,
      ),
    ]);
    expect(r.loads).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it("a sweep on webgpu is refused with the sweep's fix (the spec's backend), not run's --backend", () => {
    const spec = join(dir, 'on-webgpu.json');
    writeFileSync(
      spec,
      JSON.stringify({ name: 'on-webgpu', base: { extends: 'sparse-parity', backend: 'webgpu' }, axes: { seed: [0] } }),
    );
    const r = underFakeDawn(['sweep', spec, '--dry-run', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^error: backend "webgpu" is unavailable: no GPU adapter \(Dawn found none\); .*or set "backend": "wasm" in the spec$/,
    );
  });
});
