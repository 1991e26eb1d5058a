import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-error.js';
import { checkDir, checkWritable, ensureDir, ensureFileDir, lookedIn, shownPath, writeOutFile } from './out-dir.js';

describe('ensureDir and ensureFileDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'learnability-out-'));
  const file = join(root, 'a-file');
  writeFileSync(file, '');

  it('make missing directories, parents first', () => {
    expect(() => ensureDir('--out', join(root, 'x', 'y'))).not.toThrow();
    expect(() => ensureFileDir('--out', join(root, 'p', 'fig.svg'))).not.toThrow();
  });

  it('name the flag and the fix in one line, where Node would give an errno or loop', () => {
    const line = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e instanceof UsageError ? e.message : `not a UsageError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(line(() => ensureDir('--out', ''))).toBe('--out: expected a directory, but got an empty string');
    expect(line(() => ensureDir('--out', join(file, 'sub')))).toBe(
      `--out: ${file} is a file, not a directory; pass a directory`,
    );
    expect(line(() => ensureFileDir('--out', root))).toBe(`--out: ${root} is a directory; pass a file path`);
    // Node's own recursive mkdir never returns here (mkdir /proc/nope: ENOENT, then /proc: EEXIST, again).
    expect(line(() => ensureDir('--out', '/proc/learnability-nope'))).toMatch(
      /^--out: cannot create the directory \/proc\/learnability-nope \((.+, )?E[A-Z]+\); name one you can write to$/,
    );
    // A write that fails says why in words, and keeps the code to search for.
    expect(line(() => writeOutFile('--out', '/proc/learnability-nope.svg', 'x'))).toMatch(
      /^--out: cannot write \/proc\/learnability-nope\.svg \((.+), E[A-Z]+\); name a file you can write$/,
    );
  });
});

describe('lookedIn and shownPath', () => {
  it('say where a relative path was read or written when pnpm runs the CLI in another folder than the one typed in', () => {
    const typedIn = process.env.INIT_CWD;
    try {
      process.env.INIT_CWD = join(process.cwd(), 'elsewhere');
      expect(lookedIn('runs/x.jsonl')).toBe(
        ` (relative paths are read from ${process.cwd()}, where pnpm runs the CLI)`,
      );
      expect(lookedIn(join(process.cwd(), 'x.jsonl'))).toBe('');
      expect(shownPath('fig.svg')).toBe(join(process.cwd(), 'fig.svg'));
      expect(shownPath('/tmp/fig.svg')).toBe('/tmp/fig.svg');
      process.env.INIT_CWD = process.cwd();
      expect(lookedIn('runs/x.jsonl')).toBe('');
      expect(shownPath('fig.svg')).toBe('fig.svg');
    } finally {
      if (typedIn === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = typedIn;
    }
  });
});

describe('checkWritable', () => {
  it("refuses a folder this process may not write in, with the errno's words", () => {
    const denied = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(() => checkWritable('run: --out', '/data/runs', denied)).toThrow(
      'run: --out: cannot write in /data/runs (permission denied, EACCES); name a directory you can write to',
    );
    expect(() => checkWritable('run: --out', tmpdir())).not.toThrow();
    // The nearest folder that exists is the one asked: here the temporary folder, writable.
    expect(checkDir('run: --out', join(tmpdir(), 'learnability-not-made', 'x'))).toHaveLength(2);
  });
});
