import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import { LearnabilityError } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { checkpointPathFor } from '@learnability/experiment/node';
import type { PackedRun } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import type { PackedRunOutcome, PackedRunTask } from './execute-packed-run.js';
import type { PoolProgress } from './local-pool.js';
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

/**
 * Puts the packed runs on the queue (a run already completed there is not run again), waits for
 * every one, and writes each returned record (and checkpoint, where asked for) to its local path,
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
  try {
    const pending = new Map(tasks.map((t) => [t.run.id, t]));
    for (const task of tasks) {
      const existing = await queue.getJob(task.run.id);
      // A failed run is tried again with all its attempts, as a fresh one would be.
      if (existing && (await existing.getState()) === 'failed')
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
        if (!job || state === 'unknown') throw new Error(`sweep: job ${id} vanished from the queue`);
        if (state === 'completed') {
          mkdirSync(dirname(task.recordPath), { recursive: true });
          writeFileSync(task.recordPath, job.returnvalue.record);
          const { checkpoint } = job.returnvalue;
          if (checkpoint !== undefined)
            writeFileSync(checkpointPathFor(task.recordPath), Buffer.from(checkpoint, 'base64'));
          else if (task.returnCheckpoint) rmSync(checkpointPathFor(task.recordPath), { force: true });
          const outcome: PackedRunOutcome = { summary: job.returnvalue.summary, how: 'ran' };
          outcomes.set(id, outcome);
          progress.onDone(id, outcome);
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
