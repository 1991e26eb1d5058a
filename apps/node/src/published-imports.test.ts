/**
 * The CLI loads, at start, only what the libraries publish: every static import of a
 * `@learnability/*` entry in its sources is one of that package's published exports
 * (`publishConfig.exports`, else `exports`). A packed CLI (`pnpm deploy`, which the GPU bundle
 * is) has nothing else, and one unpublished entry imported at start stops every command there;
 * workspace-only entries are loaded with `import()` by the one command that needs them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SOURCES = new URL('.', import.meta.url).pathname;

/** Non-test .ts files under `dir`, recursively. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );

/** `import … from` / `export … from` specifiers of @learnability packages, type-only imports left out (erased). */
const staticImports = (code: string): string[] =>
  [...code.matchAll(/^(?:import|export)(?! type )[^;]*?from '(@learnability\/[^']+)'/gms)].map((m) => m[1] as string);

function publishedEntries(pkg: string): string[] {
  const manifest = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as {
    exports?: Record<string, unknown>;
    publishConfig?: { exports?: Record<string, unknown> };
  };
  return Object.keys(manifest.publishConfig?.exports ?? manifest.exports ?? { '.': null });
}

it("the CLI's static imports of @learnability packages are all published entries", () => {
  const files = sources(SOURCES);
  const unpublished = files.flatMap((file) =>
    staticImports(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const [scope, name, ...rest] = specifier.split('/');
      const entry = rest.length ? `./${rest.join('/')}` : '.';
      return publishedEntries(`${scope}/${name}`).includes(entry)
        ? []
        : [`${file.slice(SOURCES.length)}: ${specifier}`];
    }),
  );
  expect(files.length).toBeGreaterThan(50);
  expect(unpublished).toEqual([]);
});

it('finds a static import of an unpublished entry (the check can fail)', () => {
  expect(
    staticImports(
      "import { a } from '@learnability/parity/bench';\nimport type { B } from '@learnability/parity/bench';",
    ),
  ).toEqual(['@learnability/parity/bench']);
  expect(publishedEntries('@learnability/parity')).not.toContain('./bench');
});
