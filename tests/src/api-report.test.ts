import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  baseCommit,
  buildReports,
  changesetPackages,
  checkExportCounts,
  checkReports,
} from '../../scripts/api-report.js';

const root = resolve(import.meta.dirname, '../..');

describe('API reports (api/*.api.md)', () => {
  const reports = buildReports(root);

  it('are current, and every report changed since the merge base with main has a changeset naming its package', () => {
    expect([...reports.keys()]).toContain('api/parity.api.md');
    for (const text of reports.values()) expect(text, 'a report is the same in every checkout').not.toContain(root);
    expect(checkReports(root, reports, baseCommit(root))).toEqual([]);
  });

  it('list at most 25 names per entry, or the package README says why', () => {
    expect(checkExportCounts(root, reports)).toEqual([]);
  });
});

describe('checkReports on a planted change', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'learnability-api-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: scratch, stdio: 'ignore' });
  const write = (file: string, text: string) => {
    mkdirSync(join(scratch, file, '..'), { recursive: true });
    writeFileSync(join(scratch, file), text);
  };

  it('fails when an export is added without updating the report, then without a changeset, and passes with one', () => {
    write(
      'packages/a/package.json',
      JSON.stringify({
        name: '@x/a',
        exports: { '.': { source: './src/index.ts' }, './internal': { source: './src/internal.ts' } },
        publishConfig: { exports: { '.': './dist/index.js' } },
      }),
    );
    write('packages/a/src/index.ts', 'export function one(n: number): number { return n; }\n');
    write('packages/a/src/internal.ts', 'export const hidden = 1;\n');
    write('.changeset/old.md', "---\n'@x/b': minor\n---\n\nSomething else.\n");
    for (const [file, text] of buildReports(scratch)) write(file, text);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const base = baseCommit(scratch, {});
    expect(base).toMatch(/^[0-9a-f]{40}$/);
    const report = buildReports(scratch).get('api/a.api.md') ?? '';
    expect(report).toContain('function one(n: number) => number');
    expect(report, 'an entry left out of publishConfig.exports is not reported').not.toContain('hidden');
    expect(checkReports(scratch, buildReports(scratch), base)).toEqual([]);

    git('checkout', '-qb', 'feature');
    write('packages/a/src/index.ts', 'export function one(n: number): number { return n; }\nexport const two = 2;\n');
    const stale = checkReports(scratch, buildReports(scratch), base);
    expect(stale).toEqual([
      expect.stringMatching(/^api\/a\.api\.md: out of date .*pnpm api:update.* and add a changeset/),
    ]);

    for (const [file, text] of buildReports(scratch)) write(file, text);
    git('add', '-A');
    git('commit', '-qm', 'add two');
    expect(checkReports(scratch, buildReports(scratch), base)).toEqual([
      expect.stringMatching(/^api\/a\.api\.md: @x\/a's public API changed since .* no changeset/),
    ]);

    write('.changeset/two.md', "---\n'@x/a': minor\n---\n\nAdd `two`.\n");
    expect(checkReports(scratch, buildReports(scratch), base)).toEqual([]);
  });

  it('flags an entry of more than 25 names until its README says why', () => {
    const names = Array.from({ length: 26 }, (_, i) => `export const n${i} = ${i};`).join('\n');
    write(
      'packages/wide/package.json',
      JSON.stringify({ name: '@x/wide', exports: { '.': { source: './src/index.ts' } } }),
    );
    write('packages/wide/src/index.ts', `${names}\n`);
    const reports = buildReports(scratch);
    expect(checkExportCounts(scratch, reports)).toEqual([expect.stringMatching(/^@x\/wide exports 26 names, over 25/)]);
    write('packages/wide/README.md', '# wide\n\n## Why more than 25 exports\n\nBecause.\n');
    expect(checkExportCounts(scratch, reports)).toEqual([]);
  });

  it('reads package names from changeset frontmatter in either quote style', () => {
    expect(
      changesetPackages(
        '---\n\'@learnability/parity\': minor\n"@learnability/core": patch\n---\n\nText: with a colon.\n',
      ),
    ).toEqual(['@learnability/parity', '@learnability/core']);
  });
});
