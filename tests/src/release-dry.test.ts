import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('pnpm release:dry', () => {
  it('versions every public package from the changesets and dry-runs their publish, leaving the tree untouched', () => {
    const status = () => execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
    const before = status();
    const out = execFileSync('pnpm', ['-s', 'release:dry'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    });
    expect(out).toMatch(/release:dry ok/);
    expect(out).toMatch(/@learnability\/core@\d+\.\d+\.\d+/);
    expect(out).toMatch(/@learnability\/parity@\d+\.\d+\.\d+/);
    expect(status()).toBe(before);
  }, 600_000);
});
