import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

// One vitest run over every workspace package (the README's test command). Tests
// import workspace packages through the `source` export condition: TypeScript from src/, no build.
const conditions = ['source'];
// Packages are found from this file's directory, not the working directory, so a package's own
// `pnpm test` (run in its directory; vitest finds this file upward) finds them too.
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Test files that `pnpm test:unit` leaves out and `pnpm test` runs: they need Chromium, Redis, a
 * packed install or a release dry-run, or they spawn the CLI or train to an outcome, each taking
 * 24–151 s in a unit run on 2 busy cores. They form the project `slow`; the rest, `unit`.
 */
const SLOW = [
  'apps/web/test/e2e.test.ts', // Chromium
  'apps/node/src/sweep.test.ts', // a Redis queue sweep, and local sweeps on worker threads
  'apps/node/src/sweep/queue-worker.test.ts', // queue workers against redis-server
  'tests/src/pack.test.ts', // packs every package and installs the tarballs with npm
  'tests/src/release-dry.test.ts', // pnpm release:dry
  'tests/src/readme-examples.test.ts', // type-checks the package READMEs' examples and runs each in a process
  // The CLI end to end, a process per case.
  'apps/node/src/cli.test.ts',
  'apps/node/src/bench/gpu-command.test.ts',
  'apps/node/src/bench/elimination-command.test.ts', // compiles the M4RI driver and runs numpy, per size and round
  'apps/node/src/dawn-noise.test.ts',
  'apps/node/src/memory-check.test.ts',
  'apps/node/src/experiments/align-width-sweep.test.ts',
  'apps/node/src/commands/inal.test.ts',
  'apps/node/src/experiments/looped-vs-standard.test.ts',
  'apps/node/src/experiments/inal-learnability.test.ts',
  'apps/node/src/experiments/rcnn-vs-elimination.test.ts',
  'apps/node/src/align-add-preset.test.ts',
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

/**
 * Two projects over every workspace package: `unit` (`pnpm test:unit`) and `slow` (the SLOW list).
 * One project, not one per package: vitest starts workers per project, and with ~20 packages a
 * unit run spent half its time starting workers and loading tfjs again (173 s → 90 s on 2 cores).
 * A package's own `pnpm test` runs both projects on its directory (see its package.json).
 */
function projects(dirs: string[]): TestProjectInlineConfiguration[] {
  const globs = dirs.flatMap((d) => [
    `${relative(here, d)}/src/**/*.test.ts`,
    `${relative(here, d)}/test/**/*.test.ts`,
  ]);
  const test = { root: here, testTimeout: 120_000, hookTimeout: 120_000 };
  return [
    {
      extends: true,
      test: {
        ...test,
        name: 'unit',
        // One worker runs many files without restarting: tfjs, its backends (wasm compiled, Dawn
        // created, WebGPU pipelines compiled) and the transformed sources load once per worker, not
        // once per file. Tests compare tf.memory() with their own `before`, and describeEachBackend
        // sets up its backend before each block, so no file needs a fresh process.
        isolate: false,
        // Worker threads start faster than forked processes and pass messages without a pipe.
        pool: 'threads',
        include: globs,
        exclude: [...configDefaults.exclude, ...SLOW],
      },
    },
    { extends: true, test: { ...test, name: 'slow', include: SLOW } },
  ];
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: { projects: projects(workspaceDirs()) },
});
