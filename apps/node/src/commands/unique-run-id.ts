import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';

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
