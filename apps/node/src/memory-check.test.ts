import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '@learnability/backends';
import { planBackends } from '@learnability/backends/testing';
import { cli, ourStderr } from '../test/cli.js';

const out = mkdtempSync(join(tmpdir(), 'learnability-memory-'));

describe('a run too big for the backend is refused before it allocates', () => {
  const cases: [string, RegExp][] = [
    [
      'run.testSize=1e9',
      /^error: invalid config: run\.testSize: the test set needs ≈ 190 GiB \(1e9 × 51 × 4 B\); wasm holds at most 4 GiB: lower run\.testSize$/,
    ],
    [
      'run.batchSize=100000000',
      /^error: invalid config: run\.batchSize: the training activations need ≈ 8\.7 TiB \(4 × 1e8 × .* × 4 B\); wasm holds at most 4 GiB: lower run\.batchSize, run\.replicas or model\.widths$/,
    ],
    [
      'model.widths=[1000000]',
      /^error: invalid config: model\.widths: the evaluation activations need ≈ 89 GiB \(4 × 2,000 × \(3 × 1,000,000 \+ 1\) × 4 B\); wasm holds at most 4 GiB: lower model\.widths, run\.replicas or run\.testSize$/,
    ],
    [
      'run.replicas=1024',
      /^error: invalid config: run\.replicas: the evaluation activations need ≈ 23 GiB \(1,024 × 2,000 × .* × 4 B\); wasm holds at most 4 GiB: lower run\.replicas, run\.testSize or model\.widths$/,
    ],
  ];
  for (const [set, message] of cases) {
    it(`--set ${set}: one line naming the estimate and the limit, exit 2, no record`, () => {
      const dir = join(out, set.replace(/\W/g, '_'));
      const r = cli(['run', 'sparse-parity', '--backend', 'wasm', '--set', set, '--out', dir]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
      expect(r.stdout).toBe('');
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    });
  }

  it("cpu: past this machine's memory is refused by a dry run too, as the run refuses it", () => {
    for (const dry of [[], ['--dry-run']]) {
      const dir = join(out, `cpu${dry.length}`);
      const r = cli([
        'run',
        'sparse-parity',
        '--backend',
        'cpu',
        '--set',
        'model.widths=[100000000]',
        ...dry,
        '--out',
        dir,
      ]);
      expect(r.code, r.stderr).toBe(2);
      expect(ourStderr(r.stderr)).toEqual([
        expect.stringMatching(
          /^error: invalid config: model\.widths: the evaluation activations need ≈ 8\.7 TiB .*; this machine has .* of memory: lower model\.widths, run\.replicas or run\.testSize$/,
        ),
      ]);
    }
  });

  // Needs a WebGPU adapter (lavapipe or a GPU); the limit it reports is what the message must name.
  const webgpu = (
    JSON.parse(cli(['backends', '--json']).stdout) as {
      backends: (BackendStatus & { adapter?: { maxStorageBufferBindingSize?: number } })[];
    }
  ).backends.find((b) => b.name === 'webgpu');
  const binding = webgpu?.adapter?.maxStorageBufferBindingSize;
  // Skipped without an adapter, unless the environment requires webgpu (CI), where it fails instead;
  // and where the limit is past what a test set can reach (4 GiB).
  const required = planBackends(webgpu ? [webgpu] : [], process.env).find((e) => e.name === 'webgpu');
  it.skipIf(required?.action === 'fail' ? false : !webgpu?.available || binding === undefined || binding >= 2 ** 32)(
    "webgpu: a tensor past the adapter's binding limit is refused with that limit named, by a dry run too",
    () => {
      if (required?.action === 'fail') throw new Error(`webgpu: ${required.reason}`);
      const rows = Math.ceil((binding ?? 0) / (50 * 4)) + 1; // one test-set input tensor just past the limit
      const args = ['run', 'sparse-parity', '--backend', 'webgpu', '--set', `run.testSize=${rows}`];
      for (const dry of [[], ['--dry-run']]) {
        const r = cli([...args, ...dry, '--out', join(out, 'webgpu')]);
        expect(r.code, r.stderr).toBe(2);
        expect(ourStderr(r.stderr)).toEqual([
          expect.stringMatching(
            /^error: invalid config: run\.testSize: the test set's input tensor takes ≈ .*; the GPU adapter binds at most .* per tensor \(maxStorageBufferBindingSize\): lower run\.testSize$/,
          ),
        ]);
      }
    },
  );

  // The dry run reads the adapter's limits from the child-process probe: Dawn in the CLI's own
  // process printed its limit warnings (lavapipe's "artificially reduced") on stderr.
  it.skipIf(!webgpu?.available)('webgpu: a dry run that fits prints its line and nothing from Dawn', () => {
    const r = cli(['run', 'sparse-parity', '--backend', 'webgpu', '--dry-run', '--out', join(out, 'webgpu-quiet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^dry run: sparse-parity .* backend webgpu; memory ≈ /);
  });

  it('a run that fits shows its estimate on the start line', () => {
    const r = cli([
      'run',
      'sparse-parity',
      '--backend',
      'wasm',
      '--steps',
      '10',
      '--set',
      'run.testSize=200',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^run sparse-parity-\S+ on wasm(?: \(.*\))?: 4 replica\(s\), 52,001 parameters each \(step lines: means over replicas\); memory ≈ \d+(\.\d)? MB \(0\.8 MB parameters, 4 replicas\)$/m,
    );
  });
});
