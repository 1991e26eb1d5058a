import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Checkpoint } from '../checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint.js';
import { eventToLine, keptOnResume, parseRecord } from '../record.js';
import { lockRecord } from './record-lock.js';
import type { RunRecord } from '../record.js';
import type { RunSink } from '../sink.js';
import type { RunEvent } from '@learnability/core';

/** The checkpoint that belongs to a record: `runs/x.jsonl` → `runs/x.ckpt`. */
export function checkpointPathFor(recordPath: string): string {
  return `${recordPath.replace(/\.jsonl$/, '')}.ckpt`;
}

/** Flushes a file's data to the disk (fsync), so that what is written after it cannot outlive it in a crash. */
function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` atomically and durably: a temporary file, flushed, renamed over it. */
function replaceFile(path: string, data: Uint8Array): void {
  const fd = openSync(`${path}.tmp`, 'w');
  try {
    // One write(2) may take less than all of a large buffer.
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
  syncFolder(dirname(path));
}

/**
 * Flushes a folder's entries (a rename is one), so that the rename survives a crash in order.
 * Where a folder cannot be opened for that (Windows), the rename stays as durable as the OS makes it.
 */
function syncFolder(path: string): void {
  try {
    syncFile(path);
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
}

/**
 * Appends each event to `recordPath` as it happens (appendFileSync: in the file before training
 * goes on, so a killed run keeps every line so far) and replaces the checkpoint beside it
 * atomically (write to a temporary file, then rename). Before a checkpoint replaces the last one
 * the record is flushed to the disk, and the checkpoint too before its rename: after a machine
 * crash, as after a kill, the checkpoint on disk follows an evaluation line that is on disk.
 *
 * `resumedAt`: the record belongs to a run resumed from its checkpoint at that step, and is cut
 * back to it (`truncateRecordAfter`) just before the first line is written, so a resume that
 * fails before it starts (a checkpoint of another run, a backend that will not set up) leaves the
 * record as it was.
 *
 * One writer per record (record-lock.ts): `locked`, the caller took the record's lock with
 * `lockRecord` before it read the record, and releases it; otherwise the sink takes it here and
 * releases it at the end line. A second writer is refused in one line naming the first.
 */
export function fileSink(
  recordPath: string,
  {
    checkpoints = true,
    resumedAt,
    locked = false,
  }: { checkpoints?: boolean; resumedAt?: number; locked?: boolean } = {},
): RunSink {
  mkdirSync(dirname(recordPath), { recursive: true });
  const release = locked ? () => {} : lockRecord(recordPath);
  const ckpt = checkpointPathFor(recordPath);
  let cut = resumedAt === undefined;
  const cutOnce = () => {
    if (!cut) truncateRecordAfter(recordPath, resumedAt as number);
    cut = true;
  };
  const sink: RunSink = {
    event: (e) => {
      cutOnce();
      appendFileSync(recordPath, eventToLine(e));
      if (e.type === 'end') release();
    },
  };
  if (checkpoints) {
    sink.checkpoint = async (c: Checkpoint) => {
      cutOnce();
      const bytes = await encodeCheckpoint(c);
      syncFile(recordPath);
      replaceFile(ckpt, bytes);
    };
  }
  return sink;
}

/** Reads a record file; a clear one-line error if it is missing or malformed. */
export function readRecordFile(recordPath: string): RunRecord {
  if (!existsSync(recordPath))
    throw new Error(`run record "${recordPath}" does not exist; pass the .jsonl path a run printed`);
  return parseRecord(readFileSync(recordPath, 'utf8'), recordPath);
}

/**
 * Before resuming from a checkpoint taken at `step`: drops the record's lines from after that
 * step (a killed run may have logged an eval it never checkpointed) and any `end` line, so the
 * resumed run, which recomputes those steps exactly, leaves one line per eval. Atomic rewrite.
 */
export function truncateRecordAfter(recordPath: string, step: number): void {
  const kept = readFileSync(recordPath, 'utf8')
    .split('\n')
    .filter((line) => {
      if (line.trim() === '') return false;
      try {
        return keptOnResume(JSON.parse(line) as RunEvent, step);
      } catch {
        return false; // a torn last line
      }
    });
  replaceFile(recordPath, new TextEncoder().encode(kept.map((l) => `${l}\n`).join('')));
}

/** Loads the checkpoint beside a record, for `--resume`. */
export function readCheckpointFor(recordPath: string): Checkpoint {
  const path = checkpointPathFor(recordPath);
  if (!existsSync(path)) {
    throw new Error(
      `no checkpoint "${path}" beside the record; the run stopped before its first evaluation, so start it again instead of resuming`,
    );
  }
  const buf = readFileSync(path);
  return decodeCheckpoint(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}
