/**
 * A run stopped by its own files: the disk full (ENOSPC, EDQUOT) or the folder gone read-only
 * (EROFS, EACCES, EPERM) mid-run. Node's message names neither the file (a write to an open file
 * has only its descriptor) nor what is kept, so it reads like a crash; the record and checkpoint
 * hold the run up to its last checkpoint, and `run --resume` continues it once there is room.
 */
import { dirname } from 'node:path';
import { LearnabilityError } from '@learnability/core';
import { cliName, shellWord } from '../shell-word.js';

const STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);

/**
 * `e` said as what it is for the run whose record is `record` (absolute), or undefined when it is
 * no storage error. `checkpointed`: a checkpoint exists, so the run can be continued.
 */
export function storageFailure(e: unknown, record: string, checkpointed: boolean): LearnabilityError | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (!(e instanceof Error) || code === undefined || !STORAGE_CODES.has(code)) return undefined;
  const fix = code === 'ENOSPC' || code === 'EDQUOT' ? 'make room there' : 'make it writable again';
  const kept = checkpointed
    ? `the record keeps the run up to its last checkpoint: ${fix}, then continue it with: ${cliName()} run --resume ${shellWord(record)}`
    : `it stopped before its first checkpoint: ${fix}, then start it again`;
  return new LearnabilityError(`${e.message}, writing the run's files in ${dirname(record)}; ${kept}`);
}
