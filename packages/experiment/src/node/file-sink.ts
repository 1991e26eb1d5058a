import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Checkpoint } from '../checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint.js';
import { eventToLine, keptOnResume, parseRecord } from '../record.js';
import type { RunRecord } from '../record.js';
import type { RunSink } from '../sink.js';
import type { RunEvent } from '@learnability/core';

/** The checkpoint that belongs to a record: `runs/x.jsonl` → `runs/x.ckpt`. */
export function checkpointPathFor(recordPath: string): string {
  return `${recordPath.replace(/\.jsonl$/, '')}.ckpt`;
}

/**
 * Appends each event to `recordPath` as it happens (appendFileSync: on disk before training
 * goes on, so a killed run keeps every line so far) and replaces the checkpoint beside it
 * atomically (write to a temporary file, then rename). `resumedAt`: the record belongs to a run
 * resumed from its checkpoint at that step, and is cut back to it (`truncateRecordAfter`) just
 * before the first line is written, so a resume that fails before it starts (a checkpoint of
 * another run, a backend that will not set up) leaves the record as it was.
 */
export function fileSink(
  recordPath: string,
  { checkpoints = true, resumedAt }: { checkpoints?: boolean; resumedAt?: number } = {},
): RunSink {
  mkdirSync(dirname(recordPath), { recursive: true });
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
    },
  };
  if (checkpoints) {
    sink.checkpoint = async (c: Checkpoint) => {
      cutOnce();
      writeFileSync(`${ckpt}.tmp`, await encodeCheckpoint(c));
      renameSync(`${ckpt}.tmp`, ckpt);
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
  writeFileSync(`${recordPath}.tmp`, kept.map((l) => `${l}\n`).join(''));
  renameSync(`${recordPath}.tmp`, recordPath);
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
