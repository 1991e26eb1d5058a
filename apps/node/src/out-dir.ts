/**
 * Output paths the user names (`--out`): made or checked before a command writes, each problem one
 * UsageError line that names the flag and the fix, where Node would print its raw errno (EEXIST,
 * ENOTDIR, EISDIR) or, for a path under /proc, loop forever in its recursive mkdir.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './cli-error.js';

/** Words for a failed write's errno, the code kept for a search (`permission denied, EACCES`). */
const ERRNO_WORDS: Record<string, string> = {
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of its path is a file',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};
const code = (e: unknown) => {
  const errno = (e as NodeJS.ErrnoException).code;
  if (errno === undefined) return String(e);
  return ERRNO_WORDS[errno] ? `${ERRNO_WORDS[errno]}, ${errno}` : errno;
};

/**
 * Checks, creating nothing, that directory `dir` exists or can be made under its nearest existing
 * ancestor (a directory, not a file), as a dry run checks `--out`; returns the missing directories,
 * outermost first.
 */
export function checkDir(flag: string, dir: string): string[] {
  if (dir === '') throw new UsageError(`${flag}: expected a directory, but got an empty string`);
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
    at = dirname(at);
  }
  if (existsSync(at) && !statSync(at).isDirectory())
    throw new UsageError(`${flag}: ${at} is a file, not a directory; pass a directory`);
  return missing;
}

/** Checks, creating nothing, that `file` is not a directory and that its directory can be made. */
export function checkFilePath(flag: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`${flag}: ${file} is a directory; pass a file path`);
  checkDir(flag, dirname(file));
}

/**
 * `pnpm learnability …` runs the CLI in the repository root, whatever folder it was typed in
 * (pnpm's INIT_CWD): that folder, which the CLI moves back to so that relative paths (`--out
 * fig.svg`, a config file) mean what they meant where typed (`wrote fig.svg` put the file in the
 * root). Null when the CLI was not started by that script.
 */
export function typedFolder(env: NodeJS.ProcessEnv): string | null {
  const typedIn = env.INIT_CWD;
  return env.npm_lifecycle_event === 'learnability' && typedIn && existsSync(typedIn) ? typedIn : null;
}

/** The repository's `docs/<path>` relative to `from` (`docs/figures` from the root), for `--docs`. */
export const docsPath = (path: string, from = process.cwd()): string =>
  relative(from, fileURLToPath(new URL(`../../../docs/${path}`, import.meta.url)));

/** Makes directory `dir` (and its missing parents, one at a time from the nearest that exists). */
export function ensureDir(flag: string, dir: string): void {
  for (const d of checkDir(flag, dir)) {
    try {
      mkdirSync(d);
    } catch (e) {
      throw new UsageError(`${flag}: cannot create the directory ${d} (${code(e)}); name one you can write to`);
    }
  }
}

/** Makes `file`'s directory, and checks that `file` itself is not a directory. */
export function ensureFileDir(flag: string, file: string): void {
  checkFilePath(flag, file);
  ensureDir(flag, dirname(file));
}

/** Writes `data` to `file` (the value of `flag`), its directory made first; a failure is one UsageError line. */
export function writeOutFile(flag: string, file: string, data: string | Uint8Array): void {
  ensureFileDir(flag, file);
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw new UsageError(`${flag}: cannot write ${file} (${code(e)}); name a file you can write`);
  }
}
