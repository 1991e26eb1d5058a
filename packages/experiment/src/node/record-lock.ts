/**
 * One writer per record: `<record>.lock` holds the pid of the process writing it. Two processes
 * appending to one record (two `run --resume` of it at once, two sweeps on one --out) would
 * interleave their lines and checkpoints into a record of neither run. A lock left by a process
 * that is gone (killed) is taken over; one of this process is too (a run in it that failed
 * before its end line), since a process writes a record from one run at a time.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { LearnabilityError } from '@learnability/core';

/** Whether a process with this pid runs (one of another user's counts: it cannot be signalled, but it runs). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file of a record. */
export const lockPathFor = (recordPath: string): string => `${recordPath}.lock`;

/**
 * Takes the record's lock for this process, or throws, in one line, naming the process that
 * holds it. Returns the release, which is also run when the process exits.
 */
export function lockRecord(recordPath: string): () => void {
  const path = lockPathFor(recordPath);
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch {
      continue; // released between the two calls: try again
    }
    if (holder !== process.pid && Number.isInteger(holder) && running(holder))
      throw new LearnabilityError(
        `run record "${recordPath}" is being written by process ${holder}; wait for that run to end, or, if no learnability runs as ${holder}, delete "${path}"`,
      );
    rmSync(path, { force: true }); // its writer is gone: take it over
  }
  held.add(path);
  if (held.size === 1) process.on('exit', releaseAll);
  return () => {
    if (held.delete(path)) rmSync(path, { force: true });
    if (held.size === 0) process.off('exit', releaseAll);
  };
}

/** The locks this process holds, released when it exits (a run that failed before its end line). */
const held = new Set<string>();

function releaseAll(): void {
  for (const path of held) rmSync(path, { force: true });
  held.clear();
}
