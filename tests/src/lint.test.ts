/**
 * `pnpm lint` and `pnpm format:check`: the root package.json's commands with the root biome.jsonc,
 * run in a scratch project that holds that config and one source file. Each must fail (nonzero
 * exit, naming the problem) on a planted violation and pass on clean code.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** Runs the root script `name` in a fresh project holding the root biome.jsonc and `source` as probe.ts. */
function runScript(name: 'lint' | 'format:check', source: string): { code: number | null; output: string } {
  const command = scripts[name];
  if (command === undefined) throw new Error(`package.json: no "${name}" script`);
  const dir = mkdtempSync(join(tmpdir(), 'learnability-lint-'));
  try {
    copyFileSync(join(root, 'biome.jsonc'), join(dir, 'biome.jsonc'));
    // The config reads .gitignore through git (vcs.useIgnoreFile), as in the repository.
    spawnSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
    writeFileSync(join(dir, 'probe.ts'), source);
    const PATH = `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;
    const r = spawnSync(command, {
      cwd: dir,
      shell: true,
      encoding: 'utf8',
      env: { ...process.env, PATH },
      timeout: 60_000,
    });
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CLEAN = `/** The first index of \`value\` in \`xs\`, or -1. */
export function indexOf(xs: readonly number[], value: number): number {
  for (let i = 0; i < xs.length; i++) if (xs[i] === value) return i;
  return -1;
}
`;

describe('pnpm lint', () => {
  it('passes on clean code', () => {
    const r = runScript('lint', CLEAN);
    expect(r.output).toMatch(/Checked 2 files/); // probe.ts and biome.jsonc
    expect(r.code, r.output).toBe(0);
  });

  it('fails on a loose equality (an error-level rule)', () => {
    const r = runScript('lint', CLEAN.replace('xs[i] === value', 'xs[i] == value'));
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/lint\/suspicious\/noDoubleEquals/);
  });

  it('fails on a non-null assertion (a warning-level rule: warnings fail too)', () => {
    const r = runScript('lint', `${CLEAN}export const first = (xs: number[]): number => xs[0]!;\n`);
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/lint\/style\/noNonNullAssertion/);
  });
});

describe('pnpm format:check', () => {
  it('passes on formatted code', () => {
    const r = runScript('format:check', CLEAN);
    expect(r.output).toMatch(/Checked 2 files/); // probe.ts and biome.jsonc
    expect(r.code, r.output).toBe(0);
  });

  it('fails on double quotes (the repository writes single quotes)', () => {
    const r = runScript('format:check', `${CLEAN}export const name = "probe";\n`);
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/probe\.ts format/);
  });

  it('fails on a line past the 120-column width', () => {
    const long = `export const sum = ${Array.from({ length: 30 }, (_, i) => `${1000 + i}`).join(' + ')};\n`;
    expect(long.length).toBeGreaterThan(121);
    const r = runScript('format:check', `${CLEAN}${long}`);
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/probe\.ts format/);
  });
});
