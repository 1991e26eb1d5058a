import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import type { RunSummary } from '@learnability/core';
import type { PackedRun } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import type { PackedRunOutcome, PackedRunTask } from './execute-packed-run.js';
import { runLocalPool } from './local-pool.js';
import type { PoolProgress } from './local-pool.js';

/** Every sweep's packed runs go through this one BullMQ queue; job ids are the runs' stable ids. */
export const QUEUE_NAME = 'learnability-sweep';

interface JobData {
  run: PackedRun;
}

/** What a worker stores back through Redis: the summary and the whole JSONL record. */
interface JobReturn {
  summary: RunSummary;
  record: string;
}

/** `redis://host:port` → BullMQ connection options; a UsageError naming the expected form otherwise. */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--queue must be a Redis URL like redis://127.0.0.1:6379, but got "${url}"`);
  }
  if (parsed.protocol !== 'redis:' || !parsed.hostname) throw new UsageError(`--queue must be a Redis URL like redis://127.0.0.1:6379, but got "${url}"`);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : 6379, maxRetriesPerRequest: null };
}

const JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false };

/**
 * Puts the packed runs on the queue (a run already completed there is not run again), waits for
 * every one, and writes each returned record to its local path, so the sweep aggregates from
 * the same files as in local mode.
 */
export async function runOnQueue(tasks: readonly PackedRunTask[], url: string, progress: PoolProgress): Promise<Map<string, PackedRunOutcome>> {
  const queue = new Queue<JobData, JobReturn>(QUEUE_NAME, { connection: redisConnection(url) });
  const outcomes = new Map<string, PackedRunOutcome>();
  try {
    const pending = new Map(tasks.map((t) => [t.run.id, t]));
    for (const task of tasks) {
      const existing = await queue.getJob(task.run.id);
      if (existing && (await existing.getState()) === 'failed') await existing.retry();
      else if (!existing) await queue.add('packed-run', { run: task.run }, { ...JOB_OPTIONS, jobId: task.run.id });
    }
    while (pending.size > 0) {
      for (const [id, task] of pending) {
        const job = (await queue.getJob(id)) as Job<JobData, JobReturn> | undefined;
        if (!job) throw new Error(`sweep: job ${id} vanished from the queue`);
        const state = await job.getState();
        if (state === 'completed') {
          mkdirSync(dirname(task.recordPath), { recursive: true });
          writeFileSync(task.recordPath, job.returnvalue.record);
          const outcome: PackedRunOutcome = { summary: job.returnvalue.summary, how: 'ran' };
          outcomes.set(id, outcome);
          progress.onDone(id, outcome);
          pending.delete(id);
        } else if (state === 'failed' && job.attemptsMade >= JOB_OPTIONS.attempts) {
          throw new Error(`sweep run ${id} failed after ${job.attemptsMade} attempts: ${job.failedReason}`);
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

export interface QueueWorkerOptions {
  /** Runs at once in this process (each in its own thread). Default 1. */
  concurrency: number;
  /** Where this worker keeps the records it writes. */
  dir: string;
  /** Lock time in ms; a killed worker's run is taken up again this long after its last renewal. */
  lockMs: number;
  log(line: string): void;
}

/**
 * Takes packed runs off the queue and runs each in a worker thread (so this thread keeps renewing
 * the job's lock while it trains); returns its summary and record through Redis. Runs until
 * `signal` aborts. Failed runs are retried with exponential backoff by the queue.
 */
export async function runQueueWorker(url: string, o: QueueWorkerOptions, signal: AbortSignal): Promise<void> {
  const worker = new Worker<JobData, JobReturn>(
    QUEUE_NAME,
    async (job) => {
      const task: PackedRunTask = { run: job.data.run, recordPath: join(o.dir, `${job.data.run.id}.jsonl`), threads: 1 };
      o.log(`run ${task.run.id}: ${task.run.jobIds.length} job(s), attempt ${job.attemptsMade + 1}`);
      const outcomes = await runLocalPool([task], 1, {
        onEval: (_id, step) => void job.updateProgress(step),
        onDone: () => {},
      });
      const outcome = outcomes.get(task.run.id);
      if (!outcome) throw new Error(`run ${task.run.id} produced no outcome`);
      o.log(`run ${task.run.id}: ${outcome.summary.status} in ${outcome.summary.wallSeconds.toFixed(1)} s`);
      return { summary: outcome.summary, record: readFileSync(task.recordPath, 'utf8') };
    },
    { connection: redisConnection(url), concurrency: o.concurrency, lockDuration: o.lockMs, stalledInterval: Math.max(1000, Math.floor(o.lockMs / 2)), maxStalledCount: 3 },
  );
  await worker.waitUntilReady();
  o.log(`worker ready on ${url} (queue ${QUEUE_NAME}, concurrency ${o.concurrency})`);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await worker.close();
}
