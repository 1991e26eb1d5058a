/**
 * What a packed run's record on disk says before the run is trained, for the local pool (which
 * resumes it) and for the queue (which can only reuse a finished one): nothing to keep, a
 * finished run, or a run to resume from its checkpoint. A record that cannot be what its run
 * wrote is refused in one line with the fix, not deleted: a sweep re-run must not throw a run's
 * training away unasked. (A stopped run of stream learners alone keeps no checkpoint, so it can
 * only start again: its record is 'fresh'.)
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RunSummary } from '@learnability/core';
import { parseRecord } from '@learnability/experiment';
import type { RunRecord } from '@learnability/experiment';
import { checkpointPathFor } from '@learnability/experiment/node';
import { UsageError } from '../cli-error.js';
import { evaluationsEdited } from '../commands/resume-plan.js';
import type { PackedRunTask } from './execute-packed-run.js';

export type RecordOnDisk =
  /**
   * No record, or one with nothing to resume from: torn before its first line was whole, stopped
   * before its first checkpoint, or a run of stream learners alone (which keeps none).
   */
  | { kind: 'fresh' }
  /** Ended (or stopped past its budget, which is what a queue's job of it is): reused as it is. */
  | { kind: 'done'; summary: RunSummary }
  /** Stopped with a checkpoint beside it: resumed from there. */
  | { kind: 'resume'; record: RunRecord };

/**
 * The record as it was written, or undefined when there is none worth keeping: a file with no whole
 * line was torn before its first line ended (killed at once). Any other unreadable record is refused.
 */
function readRecord(recordPath: string): RunRecord | undefined {
  if (!existsSync(recordPath)) return undefined;
  const text = readFileSync(recordPath, 'utf8');
  if (!text.includes('\n')) return undefined;
  try {
    return parseRecord(text, recordPath);
  } catch (e) {
    const ckpt = existsSync(checkpointPathFor(recordPath)) ? ' and its .ckpt' : '';
    throw new UsageError(
      `its record cannot be read (${e instanceof Error ? e.message : String(e)}); move ${recordPath}${ckpt} aside to train this run again`,
    );
  }
}

/** Reads and checks a packed run's record; see `RecordOnDisk`. The caller holds the record's lock. */
export function recordOnDisk(task: PackedRunTask): RecordOnDisk {
  const { run, recordPath } = task;
  const record = readRecord(recordPath);
  if (record === undefined) return { kind: 'fresh' };
  // Records are named by their run's id: one under another id was copied or renamed there.
  const other = record.starts[0]?.runId;
  if (other !== run.id)
    throw new UsageError(
      `${recordPath} is the record of run ${other}, not of this run (${run.id}): copied or renamed? Move it aside to train this run`,
    );
  const ended = record.end?.summary;
  const spent = task.maxSeconds !== undefined && ended !== undefined && ended.wallSeconds > task.maxSeconds;
  const last = record.evals.at(-1)?.step;
  // Past the spec's steps (a `run --resume --steps` trained it further), its cell would count them.
  const past = (what: string, step: number) =>
    new UsageError(
      `${what}: "${recordPath}" is evaluated up to step ${step}, past the spec's run.steps ${run.config.run.steps} (trained further with run --resume --steps?); move it and its checkpoint aside to train this run as the spec says`,
    );
  if (ended && (ended.status !== 'stopped' || spent)) {
    if (ended.steps > run.config.run.steps) throw past('reuse', ended.steps);
    return { kind: 'done', summary: ended };
  }
  if (!existsSync(checkpointPathFor(recordPath))) {
    // A checkpoint is written after each evaluation's line and replaced whole: once a second
    // evaluation is on record one existed, so starting again would throw that training away. (With
    // one, the run may have been killed before its first checkpoint; stream learners keep none.)
    if (record.evals.length >= 2 && record.starts[0]?.paramCount !== 0)
      throw new UsageError(
        `resume: "${recordPath}" has evaluations up to step ${last} but no checkpoint "${checkpointPathFor(recordPath)}" beside it (moved or deleted?), so it cannot resume; put the checkpoint back, or delete the record to run it again`,
      );
    return { kind: 'fresh' };
  }
  // As `run --resume` refuses them: a resume would carry repeated or lost lines into the run's
  // history, or count steps past the spec's in its cell.
  const edited = evaluationsEdited(
    record.evals.map((e) => e.step),
    run.config.run.evalEvery,
  );
  if (edited)
    throw new UsageError(
      `resume: "${recordPath}" ${edited}; put the record back as the run wrote it, or delete it and its checkpoint to run it again`,
    );
  if (last !== undefined && last > run.config.run.steps) throw past('resume', last);
  return { kind: 'resume', record };
}
