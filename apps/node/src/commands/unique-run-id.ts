import { closeSync, existsSync, openSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../cli-error.js';

/**
 * The most bytes a run id may take: a file name holds 255, and a record's files add up to 40 to
 * its id (`-<n>` for uniqueness, then `.jsonl.lock.<pid>-<thread>.stale` while its lock is taken).
 */
export const MAX_RUN_ID_BYTES = 215;

/**
 * Refuses a run id too long for its record's file names (`source`: the config file it comes
 * from), which the run would otherwise meet as ENAMETOOLONG after setting its backend up.
 */
export function checkRunIdLength(id: string, source: string): void {
  const bytes = Buffer.byteLength(id);
  if (bytes > MAX_RUN_ID_BYTES)
    throw new UsageError(
      `run: the run id (${bytes} bytes, "${id.slice(0, 24)}…") is too long for its record's file names, which leave it ${MAX_RUN_ID_BYTES} of a file name's 255; it starts with the name of the config file "${basename(source).slice(0, 24)}…": give the file a shorter name`,
    );
}

/**
 * `base`, or `base-2`, `base-3`, …: the first id whose record does not exist yet (two runs in one
 * second). With `reserve`, that record is created empty at once and exclusively (`wx`), so that two
 * runs choosing together never share one: a record is otherwise made at a run's first event.
 */
export function uniqueRunId(dir: string, base: string, reserve: boolean): string {
  for (let i = 1; ; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    const path = join(dir, `${id}.jsonl`);
    if (!reserve) {
      if (!existsSync(path)) return id;
      continue;
    }
    try {
      closeSync(openSync(path, 'wx'));
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
