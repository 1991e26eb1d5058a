import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

// One vitest run over every workspace package (the README's test command). Each package is a
// project named after it, so `vitest run --project @learnability/core` runs one package. Tests
// import workspace packages through the `source` export condition: TypeScript from src/, no build.
const conditions = ['source'];
// Packages are found from this file's directory, not the working directory, so a package's own
// `pnpm test` (run in its directory; vitest finds this file upward) finds them too.
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Test files that `pnpm test:unit` leaves out and `pnpm test` runs: they need Chromium, Redis, a
 * packed install or a release dry-run, or they spawn the CLI or train to an outcome, each taking
 * 24–151 s in a unit run on 2 busy cores. A package with some gets a second project,
 * `<name>:slow`, so `vitest run --project '!*:slow'` is the unit run.
 */
const SLOW = [
  'apps/web/test/e2e.test.ts', // Chromium
  'apps/node/src/sweep.test.ts', // a Redis queue sweep, and local sweeps on worker threads
  'apps/node/src/sweep/queue-worker.test.ts', // queue workers against redis-server
  'tests/src/pack.test.ts', // packs every package and installs the tarballs with npm
  'tests/src/release-dry.test.ts', // pnpm release:dry
  // The CLI end to end, a process per case.
  'apps/node/src/cli.test.ts',
  'apps/node/src/bench/gpu-command.test.ts',
  'apps/node/src/dawn-noise.test.ts',
  'apps/node/src/memory-check.test.ts',
  'apps/node/src/experiments/align-width-sweep.test.ts',
  'apps/node/src/commands/inal.test.ts',
  'apps/node/src/experiments/looped-vs-standard.test.ts',
  'apps/node/src/experiments/inal-learnability.test.ts',
  'apps/node/src/experiments/rcnn-vs-elimination.test.ts',
  // Training to an outcome: runExperiment learns, diverges and resumes on every backend; a looped
  // transformer learns linear regression in context; the lab's Align-vs-backprop explorer learns.
  'packages/experiment/src/run-experiment.test.ts',
  'packages/trainers/looped-adam/src/learns-linear-regression.test.ts',
  'apps/web/src/explorers/align-vs-backprop.test.ts',
  // The fused looped-transformer step on software WebGPU: ~20 pipelines compiled per shape
  // (≈ 1 s each on lavapipe without a warm shader cache), and 100 steps for the leak check.
  'packages/trainers/looped-adam/src/fused-step.test.ts',
  'packages/models/looped-transformer/src/fused/webgpu/step-structure.test.ts',
  'packages/models/looped-transformer/src/fused/webgpu/step-reference.test.ts',
];
for (const f of SLOW)
  if (!existsSync(join(here, f))) throw new Error(`vitest.config.ts: SLOW lists ${f}, which does not exist`);

function workspaceDirs(): string[] {
  const dirs: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (existsSync(join(dir, 'package.json'))) dirs.push(dir);
    else if (depth > 0)
      for (const e of readdirSync(dir, { withFileTypes: true }))
        if (e.isDirectory()) walk(join(dir, e.name), depth - 1);
  };
  for (const root of ['packages', 'apps', 'tests']) if (existsSync(join(here, root))) walk(join(here, root), 2);
  return dirs;
}

/** The package's unit project, and its `:slow` project when SLOW lists files in it. */
function projects(root: string): TestProjectInlineConfiguration[] {
  const name = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name;
  const dir = relative(here, root);
  const slow = SLOW.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1));
  const test = { root, testTimeout: 120_000, hookTimeout: 120_000 };
  const unit: TestProjectInlineConfiguration = {
    extends: true,
    test: {
      ...test,
      name,
      // One worker runs many of the package's files without restarting: tfjs, its backends (wasm
      // compiled, Dawn created, WebGPU pipelines compiled) and the transformed sources load once per
      // worker, not once per file. Tests compare tf.memory() with their own `before`, and
      // describeEachBackend sets up its backend before each block, so no file needs a fresh process.
      isolate: false,
      // Worker threads start faster than forked processes and pass messages without a pipe.
      pool: 'threads',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: [...configDefaults.exclude, ...slow],
    },
  };
  return slow.length === 0 ? [unit] : [unit, { extends: true, test: { ...test, name: `${name}:slow`, include: slow } }];
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: { projects: workspaceDirs().flatMap(projects) },
});
