import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

/** Every publishable package: not private, under packages/ of `root`. */
function publicPackages(root: string): { dir: string; name: string }[] {
  const out: { dir: string; name: string }[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'node_modules') continue;
      const sub = join(dir, e.name);
      try {
        const pkg = JSON.parse(readFileSync(join(sub, 'package.json'), 'utf8')) as { name: string; private?: boolean };
        if (!pkg.private) out.push({ dir: sub, name: pkg.name });
      } catch {
        if (depth > 0) walk(sub, depth - 1);
      }
    }
  };
  walk(join(root, 'packages'), 1);
  return out;
}

const scratch = mkdtempSync(join(tmpdir(), 'learnability-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * What a fresh clone holds: the tracked (and untracked, not ignored) files, so no dist/ and no
 * node_modules, installed from the lockfile.
 */
function cleanClone(): string {
  const clone = join(scratch, 'clone');
  mkdirSync(clone);
  execSync(`git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C '${clone}'`, {
    cwd: root,
    stdio: 'ignore',
  });
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--silent'], clone);
  return clone;
}

describe('published packages', () => {
  it('pack from a clean clone (prepack builds dist/), install the tarballs into a fresh project with npm, and train 3 steps on wasm from plain Node ESM', () => {
    const clone = cleanClone();
    const packages = publicPackages(clone);
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        '@learnability/core',
        '@learnability/backends',
        '@learnability/experiment',
        '@learnability/parity',
        '@learnability/wasm-asm',
      ]),
    );
    for (const p of packages)
      expect(existsSync(join(p.dir, 'dist')), `${p.name} has a dist/ before packing`).toBe(false);
    const tarballs: Record<string, string> = {};
    const destination = join(scratch, 'tarballs');
    // No build step here: each package's prepack builds it (and what it depends on) first.
    for (const p of packages) {
      const out = run('pnpm', ['pack', '--pack-destination', destination], p.dir).trim().split('\n');
      const tarball = (out[out.length - 1] as string).trim();
      const contents = run('tar', ['-tzf', tarball], scratch).split('\n');
      expect(contents, p.name).toEqual(
        expect.arrayContaining(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']),
      );
      // src/ is not packed: the workspace-only `source` condition must not reach a user who sets it;
      // maps carry their sources instead of pointing into src/.
      const manifest = run('tar', ['-xzOf', tarball, 'package/package.json'], scratch);
      expect(manifest, `${p.name}'s published exports`).not.toContain('"source"');
      expect((JSON.parse(manifest) as { engines?: { node?: string } }).engines?.node, p.name).toBe('>=20.16');
      expect(
        contents.filter((f) => f.endsWith('.d.ts.map')),
        `${p.name} ships no declaration maps`,
      ).toEqual([]);
      if (p.name === '@learnability/parity') {
        // The benchmark entry reads the repository's bench/ drivers: workspace only, not published.
        expect(
          contents.filter((f) => f.startsWith('package/dist/bench/')),
          'parity ships no dist/bench',
        ).toEqual([]);
        const packed = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], scratch)) as {
          exports: Record<string, unknown>;
        };
        expect(Object.keys(packed.exports)).toEqual(['.', './package.json']);
      }
      tarballs[p.name] = `file:${tarball}`;
    }
    // As the packages' READMEs say: the tarballs of a package and its @learnability/* dependencies
    // together; overrides make the tarballs' internal ^0.x ranges resolve to these files, not the registry.
    const project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'fresh',
        private: true,
        type: 'module',
        dependencies: { ...tarballs, '@tensorflow/tfjs-core': '4.22.0' },
        overrides: tarballs,
      }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
    writeFileSync(
      join(project, 'train.mjs'),
      `import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { runExperiment } from '@learnability/experiment';
import { createSparseParityTask } from '@learnability/parity';
import { createDense } from '@learnability/dense';
import { createSgd } from '@learnability/sgd';
import { validateConfig, resolve, getPreset } from '@learnability/presets';
import { gf2FromBits, solveGf2 } from '@learnability/parity';
const gf2 = solveGf2(gf2FromBits([[1, 0, 1], [0, 1, 1]], 3), 2);
const bench = await import('@learnability/parity/bench').then(() => 'importable', (e) => e.code);
const info = await setupBackend('wasm');
const task = createSparseParityTask({ n: 20, k: 3 });
const summary = await runExperiment(
  { task, model: createDense({ inputSize: 20, widths: [64], replicas: 2 }), trainer: createSgd() },
  { runId: 'pack', config: {}, options: { steps: 3, evalEvery: 3, testSize: 64, replicas: 2 } },
);
resolve(validateConfig(getPreset('sparse-parity').config));
console.log(JSON.stringify({ backend: tf.getBackend(), threads: info.threads, steps: summary.steps, status: summary.status, loss: summary.replicas.map((r) => r.finalLoss), gf2: { rank: gf2.rank, solution: [...gf2.solution] }, bench }));
`,
    );
    // With the `source` condition too, as a monorepo's own tooling often sets it: the packed exports have none.
    const withSource = run('node', ['--conditions=source', 'train.mjs'], project).trim().split('\n').pop() as string;
    expect(JSON.parse(withSource)).toMatchObject({ status: 'completed' });
    const out = JSON.parse(run('node', ['train.mjs'], project).trim().split('\n').pop() as string) as {
      backend: string;
      steps: number;
      status: string;
      loss: number[];
      gf2: { rank: number; solution: number[] };
      bench: string;
    };
    expect(out.backend).toBe('wasm');
    expect(out.steps).toBe(3);
    expect(out.status).toBe('completed');
    expect(out.loss.every(Number.isFinite)).toBe(true);
    // x0 = 1, x1 = 1 (rows x0 = 1, x1 = 1 with the label in column 2), from the installed parity.
    expect(out.gf2).toEqual({ rank: 2, solution: [1, 1] });
    expect(out.bench).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  }, 600_000);
});
