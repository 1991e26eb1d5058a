import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-error.js';
import { parseUserJson, readUserFile } from './user-file.js';

const dir = mkdtempSync(join(tmpdir(), 'learnability-user-file-'));
const refused = (path: string, hints = {}) => {
  try {
    readUserFile(`config file "${path}"`, path, hints);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`${path} was read`);
};

describe('readUserFile', () => {
  it('reads a file, and names one that is missing or a directory, each with its fix', () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, '{}');
    expect(readUserFile('x', ok)).toBe('{}');
    const missing = join(dir, 'missing.json');
    expect(refused(missing, { missing: 'pass a preset name' })).toBe(
      `config file "${missing}" does not exist; pass a preset name`,
    );
    expect(refused(dir)).toBe(`config file "${dir}" is a directory, not a file`);
    expect(refused(dir, { directory: 'pass a .json file' })).toBe(
      `config file "${dir}" is a directory; pass a .json file`,
    );
  });

  it('drops a byte-order mark, which JSON.parse called an unexpected token the user could not see', () => {
    const bom = join(dir, 'bom.json');
    writeFileSync(bom, '\uFEFF{"extends": "sparse-parity"}');
    expect(JSON.parse(readUserFile('x', bom))).toEqual({ extends: 'sparse-parity' });
  });

  it('says a file cannot be read, with why, where it once reported "not valid JSON"', () => {
    const loop = join(dir, 'loop.json');
    symlinkSync(loop, loop);
    expect(refused(loop)).toMatch(/^config file ".*loop\.json" cannot be read \(ELOOP: too many symbolic links/);
  });

  // Root reads any file whatever its mode, so this needs another user.
  it.skipIf(process.getuid?.() === 0)('names a file without read permission', () => {
    const locked = join(dir, 'locked.json');
    writeFileSync(locked, '{}');
    chmodSync(locked, 0o000);
    expect(refused(locked)).toBe(`config file "${locked}" cannot be read (permission denied)`);
  });

  it('says where a file is not valid JSON, by line and column, and names the usual slips', () => {
    const at = (text: string) => {
      try {
        parseUserJson('config file "c.json"', text);
      } catch (e) {
        return e instanceof UsageError ? e.message : `not a UsageError: ${String(e)}`;
      }
      return 'parsed';
    };
    // A trailing comma on line 3: the offending "}" is its 23rd character (Node 22 says so itself).
    expect(at('{\n  "extends": "sparse-parity",\n  "run": {"steps": 10,},\n}')).toMatch(
      /^config file "c.json" is not valid JSON \(.* at position 54(, at line 3, column 23| \(line 3 column 23\)); JSON has no comments or trailing commas\)$/,
    );
    expect(at('{ // a comment\n}')).toMatch(/at position 2.*line 1,? column 3.*; JSON has no comments/);
    // In a list V8 gives no position: still named.
    expect(at('{"widths": [64, 32,]}')).toMatch(/; JSON has no comments or trailing commas\)$/);
    // Another slip gets no such hint: a missing colon (with a position), a bare word (without), even beside a URL.
    expect(at('{"a" 1}')).not.toMatch(/trailing commas/);
    expect(at('{"url": "https://x", "a": tru}')).not.toMatch(/trailing commas/);
    expect(parseUserJson('x', '{"a": [1]}')).toEqual({ a: [1] });
  });

  it('refuses a key given twice in one object, where JSON.parse kept the last without a word', () => {
    const twice = '{"extends": "sparse-parity",\n "run": {"steps": 10},\n "run": {"seed": 2}}';
    expect(() => parseUserJson('config file "c.json"', twice)).toThrow(
      'config file "c.json" has the key "run" twice in one object (line 3); JSON keeps only the last, so merge the two into one',
    );
    // The same key in two objects, a key-like string as a value or in a list, escapes: all fine.
    const fine = '{"a": {"x": 1}, "b": {"x": "a"}, "c": ["a", "a"], "d": "k\\"\\":", "e": {"\\"": 1, "\\\\": 2}}';
    expect(parseUserJson('x', fine)).toEqual(JSON.parse(fine));
    expect(() => parseUserJson('x', '[{"a": 1, "b": {"a": 2}, "a": 3}]')).toThrow('has the key "a" twice');
  });
});
