/**
 * Every ```ts block of every package README is a program a user can paste: each is type-checked
 * (strict, as the packages are) and run in its own `node` process, which must exit 0 and print
 * what it computed (the numbers in the examples' comments are the READMEs' word). A block that
 * imports `vitest` is a test file: it is type-checked only. The blocks run from a folder inside
 * this package, which depends on every `@learnability/*` package, through the `source` condition.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

interface Example {
  /** Where it starts: `packages/tasks/parity/README.md:7`. */
  at: string;
  code: string;
}

/** The ```ts blocks of one Markdown text, each with the line its fence opens on. */
function tsBlocks(markdown: string, file: string): Example[] {
  const lines = markdown.split('\n');
  const blocks: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`${file}:${i + 1}: a \`\`\`ts block that never closes`);
    blocks.push({ at: `${file}:${i + 1}`, code: `${lines.slice(i + 1, end).join('\n')}\n` });
    i = end;
  }
  return blocks;
}

/** The README of every package under packages/, as paths from the repository root. */
function packageReadmes(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.name === 'package.json')) {
      if (entries.some((e) => e.name === 'README.md')) found.push(relative(root, join(dir, 'README.md')));
      return;
    }
    if (depth > 0)
      for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules') walk(join(dir, e.name), depth - 1);
  };
  walk(join(root, 'packages'), 2);
  return found.sort();
}

const examples = packageReadmes().flatMap((file) => tsBlocks(readFileSync(join(root, file), 'utf8'), file));
const dir = mkdtempSync(join(root, 'tests', '.readme-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fileOf = new Map(examples.map((e) => [e, `${e.at.replace(/^packages\//, '').replace(/[/.:]/g, '-')}.ts`]));
for (const [e, file] of fileOf) writeFileSync(join(dir, file), e.code);

describe('tsBlocks', () => {
  it('finds each ```ts block with the line of its fence, and leaves other languages out', () => {
    const md = '# x\n```ts\nconst a = 1;\n```\ntext\n```sh\nls\n```\n```ts\nf();\ng();\n```\n';
    expect(tsBlocks(md, 'R.md')).toEqual([
      { at: 'R.md:2', code: 'const a = 1;\n' },
      { at: 'R.md:9', code: 'f();\ng();\n' },
    ]);
    expect(() => tsBlocks('```ts\nx', 'R.md')).toThrow('R.md:1: a ```ts block that never closes');
  });
});

describe('package README examples', () => {
  it('are found in the READMEs', () => {
    expect(examples.length).toBeGreaterThanOrEqual(17);
  });

  it('type-check', () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '@learnability/tsconfig/typecheck.json', include: ['*.ts'] }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      cwd: dir,
      encoding: 'utf8',
    });
    // Each error names its example by README and line: `tasks-parity-README-md-7.ts(3,1): …`.
    expect(tsc.stdout + tsc.stderr, 'tsc over the README examples').toBe('');
    expect(tsc.status).toBe(0);
  });

  it.each(examples.filter((e) => !e.code.includes("from 'vitest'")))('run: $at', (e) => {
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', fileOf.get(e) as string], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(r.status, `${e.at} exited with ${r.status}:\n${r.stderr}`).toBe(0);
    // Each shows what it computed: an example that prints nothing shows a reader nothing to check.
    expect(r.stdout.trim(), `${e.at} printed nothing`).not.toBe('');
  });
});
