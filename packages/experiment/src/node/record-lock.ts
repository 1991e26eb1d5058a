/**
 * One writer per record: `<record>.lock` names the process and thread writing it (`pid:thread`).
 * Two writers of one record (two `run --resume` of it at once, two sweeps on one --out, a queue
 * worker handed back a job its other thread still trains) would interleave their lines and
 * checkpoints into a record of neither run, and one could delete the other's files.
 *
 * - Taken before the record is read: whoever reads, cuts or deletes a record holds its lock.
 * - Made whole in one step: the holder's name is written to a file of its own, then linked to
 *   the lock's path, which fails if the lock exists. No one ever reads a half-written lock.
 * - A lock whose process is gone (killed), or one this thread left, is taken over by moving it
 *   aside first: a rename succeeds once, so of two processes that find the same stale lock only
 *   one takes it over. A lock held by another thread of this process is refused like another
 *   process's: the holder releases it on every way out of its run.
 */
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { LearnabilityError } from '@learnability/core';

/** The lock file of a record. */
export const lockPathFor = (recordPath: string): string => `${recordPath}.lock`;

const me = `${process.pid}:${threadId}`;

/** Whether a process with this pid runs (one of another user's counts: it cannot be signalled, but it runs). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder a lock names still writes its record. */
function live(holder: string): boolean {
  const [pid, thread] = holder.split(':').map(Number);
  if (!Number.isInteger(pid)) return false; // not a lock this code wrote
  if (pid !== process.pid) return running(pid as number);
  return thread !== threadId; // another thread of this process; this thread's own is left over
}

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

/**
 * Takes the record's lock for this thread, or throws, in one line, naming the holder. Returns
 * the release; the process releases what it still holds when it exits normally (a killed one's
 * locks are taken over, as a gone process's).
 */
export function lockRecord(recordPath: string): () => void {
  const path = lockPathFor(recordPath);
  const mine = `${path}.${process.pid}-${threadId}`;
  writeFileSync(mine, me);
  try {
    for (;;) {
      try {
        linkSync(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readOrNull(path);
      if (holder === null) continue; // released meanwhile: try again
      if (live(holder)) {
        const pid = holder.split(':')[0];
        throw new LearnabilityError(
          `run record "${recordPath}" is being written by process ${pid}; wait for that run to end, or, if no learnability runs as ${pid}, delete "${path}"`,
        );
      }
      // Its writer is gone: move the lock aside (once, whoever else races for it), then take it.
      const aside = `${mine}.stale`;
      try {
        renameSync(path, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      // Moved a lock another taker made meanwhile, not the stale one: put it back, look again.
      if (readOrNull(aside) !== holder)
        try {
          linkSync(aside, path);
        } catch {
          // taken again meanwhile: the next look decides
        }
      rmSync(aside, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  held.add(path);
  if (held.size === 1) process.on('exit', releaseAll);
  return () => {
    if (held.delete(path)) removeOwn(path);
    if (held.size === 0) process.off('exit', releaseAll);
  };
}

/** The locks this thread holds, released when the process exits. */
const held = new Set<string>();

/**
 * Removes a lock of this thread's, as far as the file system lets it: on a folder gone read-only or
 * full the removal failed with its own error, which replaced the error that stopped the run (a
 * release runs in a `finally`), or was an uncaught trace at exit. A lock left behind is stale once
 * this process has exited, and the next taker moves it aside.
 */
function removeOwn(path: string): void {
  try {
    if (readOrNull(path) === me) rmSync(path, { force: true });
  } catch {
    // left for the next taker (above)
  }
}

function releaseAll(): void {
  for (const path of held) removeOwn(path);
  held.clear();
}
