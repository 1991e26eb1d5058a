/**
 * Output paths the user names (`--out`): made or checked before a command writes, each problem one
 * UsageError line that names the flag and the fix, where Node would print its raw errno (EEXIST,
 * ENOTDIR, EISDIR) or, for a path under /proc, loop forever in its recursive mkdir.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
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
 * ancestor (a directory, not a file, that this process may write in), as a dry run checks `--out`;
 * returns the missing directories, outermost first.
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
  // The folder written into, or the one the missing ones would be made in: a dry run answers for
  // it too (root may write almost anywhere; a folder under /proc fails only when made).
  checkWritable(flag, at);
  return missing;
}

/**
 * Throws a UsageError naming `flag` unless this process may write in folder `at` (`access`:
 * fs.accessSync; a test passes its own, since a folder's mode never refuses root).
 */
export function checkWritable(
  flag: string,
  at: string,
  access: (path: string, mode: number) => void = accessSync,
): void {
  try {
    access(at, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${flag}: cannot write in ${at} (${code(e)}); name a directory you can write to`);
  }
}

/** Checks, creating nothing, that `file` is not a directory and that its directory can be made. */
export function checkFilePath(flag: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`${flag}: ${file} is a directory; pass a file path`);
  checkDir(flag, dirname(file));
}

/** pnpm runs the CLI from the repository root, whatever folder the user typed the command in (INIT_CWD). */
const typedElsewhere = (): boolean => {
  const typedIn = process.env.INIT_CWD;
  return typedIn !== undefined && typedIn !== '' && resolve(typedIn) !== process.cwd();
};

/** Where a relative path the user typed was looked for, for a "does not exist" message. */
export function lookedIn(path: string): string {
  return !isAbsolute(path) && typedElsewhere()
    ? ` (relative paths are read from ${process.cwd()}, where pnpm runs the CLI)`
    : '';
}

/**
 * A path the CLI wrote, as a message shows it: as typed, unless it is relative and the CLI runs
 * elsewhere than where it was typed: then absolute, since `wrote fig.svg` would name
 * a file in the user's folder, not the repository root where it is.
 */
export function shownPath(path: string): string {
  return !isAbsolute(path) && typedElsewhere() ? resolve(path) : path;
}

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
