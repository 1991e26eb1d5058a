import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../test/cli.js';

const out = mkdtempSync(join(tmpdir(), 'learnability-memory-'));

describe('a run too big for the backend is refused before it allocates', () => {
  const cases: [string, RegExp][] = [
    ['run.testSize=1e9', /^error: invalid config: run\.testSize: the test set needs ≈ 204 GB \(1e9 × 51 × 4 B\); wasm holds at most 4 GiB: lower run\.testSize$/],
    ['run.batchSize=100000000', /^error: invalid config: run\.batchSize: the training activations need ≈ 9\.6 TB \(4 × 1e8 × .* × 4 B\); wasm holds at most 4 GiB: lower run\.batchSize$/],
    ['model.widths=[1000000]', /^error: invalid config: model\.widths: the evaluation activations need ≈ 96 GB \(4 × 2,000 × \(3 × 1,000,000 \+ 1\) × 4 B\); wasm holds at most 4 GiB: lower model\.widths$/],
    ['run.replicas=1024', /^error: invalid config: run\.replicas: the evaluation activations need ≈ 25 GB \(1,024 × 2,000 × .* × 4 B\); wasm holds at most 4 GiB: lower run\.replicas$/],
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

  it('a run that fits shows its estimate on the start line', () => {
    const r = cli(['run', 'sparse-parity', '--backend', 'wasm', '--steps', '10', '--set', 'run.testSize=200', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^run sparse-parity-\S+ on wasm: 4 replica\(s\), 52,001 parameters each; memory ≈ \d+(\.\d)? MB \(0\.8 MB parameters, 4 replicas\)$/m);
  });
});
