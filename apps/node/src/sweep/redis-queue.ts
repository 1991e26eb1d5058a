import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import { LearnabilityError } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { checkpointPathFor, lockRecord } from '@learnability/experiment/node';
import type { PackedRun } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import type { PackedRunOutcome, PackedRunTask } from './execute-packed-run.js';
import type { PoolProgress } from './local-pool.js';
import { recordOnDisk } from './record-on-disk.js';
import type { RecordOnDisk } from './record-on-disk.js';
import { probeRedis, watchedConnection } from './redis-connection.js';

/** Every sweep's packed runs go through this one BullMQ queue; job ids are the runs' stable ids. */
export const QUEUE_NAME = 'learnability-sweep';

export interface JobData {
  run: PackedRun;
  /** The run's wall-clock budget (s), checked at each evaluation (`PackedRunTask.maxSeconds`). */
  maxSeconds?: number;
  /** Send the checkpoint back too (`PackedRunTask.returnCheckpoint`). */
  returnCheckpoint?: boolean;
}

/** What a worker stores back through Redis: the summary, the whole JSONL record and, when asked for, the checkpoint. */
export interface JobReturn {
  summary: RunSummary;
  record: string;
  /** The checkpoint file's bytes, base64 (a run that ended before its first evaluation has none). */
  checkpoint?: string;
  /** Whether the worker resumed the run from a checkpoint in its --dir (absent from older workers: ran). */
  how?: 'ran' | 'resumed' | 'skipped';
}

/**
 * How a worker marks a job it refused, as the local pool tells them apart: bad input (a UsageError,
 * exit 2) or a known refusal (a LearnabilityError, exit 1: a backend this machine lacks). Once every
 * attempt failed, the sweep says it as that error, not as a bug (`failureOf`).
 */
const BAD_INPUT = 'bad input: ';
const REFUSED = 'refused: ';

/** A worker's failure as the queue keeps it (`where`: the worker and its --dir): marked when it is a refusal. */
export function markedFailure(error: unknown, where: string): unknown {
  if (error instanceof UsageError) return new Error(`${BAD_INPUT}${error.message} ${where}`);
  if (error instanceof LearnabilityError) return new Error(`${REFUSED}${error.message} ${where}`);
  return error;
}

/** The error a sweep throws for a run whose `attempts` all failed, the last with `reason`. */
export function failureOf(id: string, reason: string, attempts: number): Error {
  const last = `; the last of ${attempts} attempts`;
  if (reason.startsWith(BAD_INPUT)) return new UsageError(`${reason.slice(BAD_INPUT.length)}${last}`);
  if (reason.startsWith(REFUSED)) return new LearnabilityError(`${reason.slice(REFUSED.length)}${last}`);
  return new Error(`sweep run ${id} failed after ${attempts} attempts: ${reason}`);
}

export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: false,
  removeOnFail: false,
};

/** `fn` with the record's lock held (its folder made first: the lock file sits beside it), released however it ends. */
function underLock<T>(recordPath: string, fn: () => T): T {
  mkdirSync(dirname(recordPath), { recursive: true });
  const release = lockRecord(recordPath);
  try {
    return fn();
  } finally {
    release();
  }
}

/**
 * A run's record in --out, read under its lock (a run of the local pool may be writing it): a
 * finished one is reused; a stopped one would be trained again from step 0 on the queue, and its
 * record and checkpoint replaced, so it is refused with the way to finish it.
 */
const localRecord = (task: PackedRunTask): RecordOnDisk =>
  underLock(task.recordPath, () => {
    try {
      const onDisk = recordOnDisk(task);
      if (onDisk.kind !== 'resume') return onDisk;
      const step = onDisk.record.evals.at(-1)?.step;
      throw new UsageError(
        `--queue: "${task.recordPath}" holds this run stopped at step ${step}, with its checkpoint; finish it here (the same command without --queue), or move the record and its checkpoint aside to train it on the queue`,
      );
    } catch (e) {
      // Named as the local pool names a run's refusal, keeping its kind (exit 2 or 1).
      if (e instanceof UsageError || e instanceof LearnabilityError) e.message = `run ${task.run.id}: ${e.message}`;
      throw e;
    }
  });

/**
 * A returned record (and checkpoint) written to the run's path in --out, under its lock: it replaces
 * what was there, and a checkpoint that did not come back is removed, as it belongs to no record now.
 */
const writeReturned = (task: PackedRunTask, returned: JobReturn): void =>
  underLock(task.recordPath, () => {
    writeFileSync(task.recordPath, returned.record);
    const checkpointPath = checkpointPathFor(task.recordPath);
    if (returned.checkpoint !== undefined) writeFileSync(checkpointPath, Buffer.from(returned.checkpoint, 'base64'));
    else rmSync(checkpointPath, { force: true });
  });

/**
 * Puts the packed runs on the queue (a run finished in --out, or completed on the queue, is not run
 * again), waits for every one, and writes each returned record (and checkpoint, where asked for) to its local path,
 * so the sweep aggregates from the same files as in local mode. Fails within `PROBE_TIMEOUT_MS` when Redis cannot be reached;
 * when Redis goes away later it says so and waits for it to return (`log`).
 */
export async function runOnQueue(
  tasks: readonly PackedRunTask[],
  url: string,
  progress: PoolProgress,
  log: (line: string) => void,
): Promise<Map<string, PackedRunOutcome>> {
  await probeRedis(url);
  const watched = watchedConnection(url, log);
  const queue = new Queue<JobData, JobReturn>(QUEUE_NAME, { connection: watched.connection });
  queue.on('error', watched.noteError);
  (await queue.client).on('ready', watched.noteReady);
  const outcomes = new Map<string, PackedRunOutcome>();
  const done = (id: string, outcome: PackedRunOutcome) => {
    outcomes.set(id, outcome);
    progress.onDone(id, outcome);
  };
  try {
    // Runs finished in --out are reused, as the local pool reuses them; none is stopped there.
    const pending = new Map<string, PackedRunTask>();
    for (const task of tasks) {
      const onDisk = localRecord(task);
      if (onDisk.kind === 'done') done(task.run.id, { summary: onDisk.summary, how: 'skipped' });
      else pending.set(task.run.id, task);
    }
    // Jobs the queue completed before this sweep: their records come back as they are.
    const completedBefore = new Set<string>();
    for (const task of pending.values()) {
      const existing = await queue.getJob(task.run.id);
      const state = await existing?.getState();
      if (state === 'completed') completedBefore.add(task.run.id);
      // A failed run is tried again with all its attempts, as a fresh one would be.
      if (existing && state === 'failed')
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      else if (!existing) {
        const data: JobData = {
          run: task.run,
          ...(task.maxSeconds === undefined ? {} : { maxSeconds: task.maxSeconds }),
          ...(task.returnCheckpoint ? { returnCheckpoint: true } : {}),
        };
        await queue.add('packed-run', data, { ...JOB_OPTIONS, jobId: task.run.id });
      }
    }
    while (pending.size > 0) {
      for (const [id, task] of pending) {
        // The state first, then the job: a job read before it completed has no return value yet,
        // though its state, read a moment later, may say completed.
        const state = await queue.getJobState(id);
        const job = (await queue.getJob(id)) as Job<JobData, JobReturn> | undefined;
        if (!job || state === 'unknown')
          throw new LearnabilityError(
            `run ${id}: its job is gone from the queue (Redis restarted without persistence, or flushed?); run the same command again to queue it anew`,
          );
        if (state === 'completed') {
          writeReturned(task, job.returnvalue);
          const how = completedBefore.has(id) ? 'skipped' : (job.returnvalue.how ?? 'ran');
          done(id, { summary: job.returnvalue.summary, how });
          pending.delete(id);
        } else if (state === 'failed' && job.attemptsMade >= JOB_OPTIONS.attempts) {
          // A refusal on the worker (marked so) is one line, with the exit code the same refusal here gets.
          throw failureOf(id, job.failedReason ?? '', job.attemptsMade);
        } else if (typeof job.progress === 'number') {
          progress.onEval(id, job.progress, task.run.config.run.steps);
        }
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await queue.close();
  }
  return outcomes;
}
