import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageVersions } from './versions.js';

const inCheckout =
  spawnSync('git', ['rev-parse', 'HEAD'], { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8' })
    .status === 0;

describe('packageVersions', () => {
  it("names the CLI, TF.js's core and backends, and every part's package, for the run record", () => {
    const v = packageVersions();
    for (const name of [
      'node',
      'tfjs-core',
      '@learnability/cli',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      '@learnability/presets',
      '@learnability/dense',
      '@learnability/looped-transformer',
      '@learnability/sgd',
      '@learnability/parity',
    ])
      expect(v[name], name).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.runIf(inCheckout)('names the git commit in a checkout, marked +dirty when tracked files differ from it', () => {
    expect(packageVersions().commit).toMatch(/^[0-9a-f]{40}(\+dirty)?$/);
  });
});
