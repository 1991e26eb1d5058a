import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One vitest run over every workspace package (the README's test command). Each package is a
// project named after it, so `vitest run --project @learnability/core` runs one package. Tests
// import workspace packages through the `source` export condition: TypeScript from src/, no build.
const conditions = ['source'];
// Packages are found from this file's directory, not the working directory, so a package's own
// `pnpm test` (vitest run --root <repo root> --project <name>) finds them too.
const here = fileURLToPath(new URL('.', import.meta.url));

function workspaceDirs(): string[] {
  const dirs: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (existsSync(join(dir, 'package.json'))) dirs.push(dir);
    else if (depth > 0) for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name), depth - 1);
  };
  for (const root of ['packages', 'apps', 'tests']) if (existsSync(join(here, root))) walk(join(here, root), 2);
  return dirs;
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    projects: workspaceDirs().map((root) => ({
      extends: true,
      test: {
        name: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name,
        root,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 120_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
