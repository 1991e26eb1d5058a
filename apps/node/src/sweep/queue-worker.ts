import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { checkpointPathFor } from '@learnability/experiment/node';
import type { PackedRunTask } from './execute-packed-run.js';
import { runLocalPool } from './local-pool.js';
import { probeRedis, redactedUrl, watchedConnection } from './redis-connection.js';
import { QUEUE_NAME, markedFailure } from './redis-queue.js';
import type { JobData, JobReturn } from './redis-queue.js';

export interface QueueWorkerOptions {
  /** Runs at once in this process (each in its own thread; `worker --concurrency`). */
  concurrency: number;
  /** Where this worker keeps the records and checkpoints it writes. */
  dir: string;
  /** Lock time in ms; a killed worker's run is taken up again this long after its last renewal. */
  lockMs: number;
  /**
   * Once `signal` aborts, the whole shutdown (stop the runs, hand them back, close) takes at
   * most this long (ms). Default 3000, to stay under 5 s on a loaded machine.
   */
  shutdownMs?: number;
  log(line: string): void;
}

/** Resolves with `p`, or with `fallback` after `ms` (whichever is first); never rejects. */
function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      () => (clearTimeout(timer), resolve(fallback)),
    );
  });
}

/**
 * Takes packed runs off the queue and runs each in a worker thread (so this thread keeps renewing
 * the job's lock while it trains); returns its summary and record (and, when the job asks, its
 * checkpoint) through Redis. Fails within 5 s when Redis cannot be reached; when Redis goes away
 * later it says so and reconnects with backoff.
 *
 * Runs until `signal` aborts, then within `shutdownMs`: each running run stops at its next
 * evaluation (or is ended at the deadline) with its checkpoint in `dir`, and its job goes back to
 * the queue's wait list for any worker to take. When Redis is unreachable then, the job's lock
 * simply expires and the queue hands it out again once Redis is back. A worker restarted with the
 * same `dir` resumes such a run from its checkpoint.
 */
export async function runQueueWorker(url: string, o: QueueWorkerOptions, signal: AbortSignal): Promise<void> {
  await probeRedis(url);
  const shutdownMs = o.shutdownMs ?? 3000;
  const watched = watchedConnection(url, o.log);
  const worker = new Worker<JobData, JobReturn>(
    QUEUE_NAME,
    async (job: Job<JobData, JobReturn>, token?: string) => {
      const task: PackedRunTask = {
        run: job.data.run,
        recordPath: join(o.dir, `${job.data.run.id}.jsonl`),
        threads: 1,
        ...(job.data.maxSeconds === undefined ? {} : { maxSeconds: job.data.maxSeconds }),
      };
      const checkpointPath = checkpointPathFor(task.recordPath);
      o.log(`run ${task.run.id}: ${task.run.jobIds.length} job(s), attempt ${job.attemptsMade + 1}`);
      const outcomes = await runLocalPool(
        [task],
        1,
        { onEval: (_id, step) => void job.updateProgress(step).catch(() => {}), onDone: () => {} },
        // Half the budget for the run to reach an evaluation; the rest to hand it back and close.
        { signal, graceMs: shutdownMs / 2 },
      ).catch((error: unknown) => {
        // Said here too: the sweep hears of it only once every attempt has failed. (The pool's
        // message starts with the run, which this line names already.)
        const why = (error instanceof Error ? error.message : String(error)).replace(`run ${task.run.id}: `, '');
        o.log(`run ${task.run.id}: attempt ${job.attemptsMade + 1} failed: ${why}`);
        // Bad input here (a record or checkpoint in this --dir it cannot use, a run too big for this
        // machine) or a known refusal (a backend this machine lacks) may not recur on another
        // worker, so the queue still retries it; marked, so that a sweep whose attempts all failed
        // says it as that error, with where, not as a bug.
        throw markedFailure(error, `(on worker ${hostname()}, --dir ${o.dir})`);
      });
      const outcome = outcomes.get(task.run.id);
      if (signal.aborted && (!outcome || outcome.summary.status === 'stopped')) {
        const handedBack = await within(
          job.moveToWait(token).then(() => true),
          shutdownMs / 4,
          false,
        );
        o.log(
          `run ${task.run.id}: stopped${outcome ? ` at step ${outcome.summary.steps}` : ''}, checkpoint in ${o.dir}; ${handedBack ? 'handed back to the queue' : 'Redis did not answer: the queue hands it out again when its lock expires'} (a worker started with --dir ${o.dir} resumes it from there; one with another --dir trains it again from step 0)`,
        );
        throw new WaitingError();
      }
      if (!outcome) throw new Error(`run ${task.run.id} produced no outcome`);
      o.log(
        `run ${task.run.id}: ${outcome.summary.status}${outcome.how === 'resumed' ? ' (resumed from its checkpoint)' : ''} in ${outcome.summary.wallSeconds.toFixed(1)} s`,
      );
      const returned = { summary: outcome.summary, record: readFileSync(task.recordPath, 'utf8'), how: outcome.how };
      if (!job.data.returnCheckpoint || !existsSync(checkpointPath)) return returned;
      return { ...returned, checkpoint: readFileSync(checkpointPath).toString('base64') };
    },
    {
      connection: watched.connection,
      concurrency: o.concurrency,
      lockDuration: o.lockMs,
      stalledInterval: Math.max(1000, Math.floor(o.lockMs / 2)),
      maxStalledCount: 3,
      autorun: false,
    },
  );
  worker.on('error', watched.noteError);
  const stopped = new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const ready = within(
    worker.waitUntilReady().then(() => true),
    10_000,
    false,
  );
  if (!(await Promise.race([ready, stopped.then(() => false)]))) {
    await within(worker.close(true), 1000, undefined);
    if (signal.aborted) return;
    throw new Error(
      `worker: Redis at ${redactedUrl(url)} answered PING but the queue did not become ready within 10 s`,
    );
  }
  (await worker.client).on('ready', watched.noteReady);
  o.log(`worker ready on ${redactedUrl(url)} (queue ${QUEUE_NAME}, concurrency ${o.concurrency})`);
  const running = worker.run();
  await stopped;
  o.log('worker: stopping (signal received)');
  // close() waits for the processors above, which stop their runs within shutdownMs/2 and hand
  // them back within shutdownMs/4; the rest of the budget covers a Redis that no longer answers.
  await within(worker.close(), shutdownMs, undefined);
  await within(running, 100, undefined);
  o.log('worker: stopped');
}
