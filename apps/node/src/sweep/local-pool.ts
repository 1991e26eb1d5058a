import type { Worker } from 'node:worker_threads';
import { LearnabilityError } from '@learnability/core';
import { UsageError } from '../cli-error.js';
import { stopOnSignal } from '../interrupt.js';
import type { Io } from '../io.js';
import { startModuleWorker } from '../worker-thread.js';
import type { PackedRunOutcome, PackedRunTask } from './execute-packed-run.js';
import type { FromWorker, ToWorker } from './pool-messages.js';

/**
 * The most worker threads a pool starts: each holds its own TF.js backend and wasm heap (tens to
 * hundreds of MB), so `--workers 100000` would exhaust memory long before it used the cores.
 */
export const MAX_POOL_THREADS = 64;

/** Progress of a sweep's packed runs, for the single progress view. */
export interface PoolProgress {
  onEval(id: string, step: number, totalSteps: number): void;
  onDone(id: string, outcome: PackedRunOutcome): void;
}

/** How a pool stops early. */
export interface PoolStop {
  /** Aborting stops every running run at its next evaluation (checkpointed) and starts no more. */
  signal: AbortSignal;
  /** After this many ms a thread whose run has not stopped is terminated; its last checkpoint stays (ms). */
  graceMs: number;
}

/**
 * Runs packed runs on `workers` worker threads (each with its own TF.js backend), each worker
 * taking the next run as it finishes one. Rejects on the first failed run, after stopping the pool.
 * With `stop`, resolves early once stopped; the outcomes then hold only the runs that ended.
 */
export async function runLocalPool(
  tasks: readonly PackedRunTask[],
  workers: number,
  progress: PoolProgress,
  stop?: PoolStop,
): Promise<Map<string, PackedRunOutcome>> {
  const outcomes = new Map<string, PackedRunOutcome>();
  const queue = [...tasks];
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      let running = 0;
      const feed = (w: Worker) => {
        const next = stop?.signal.aborted ? undefined : queue.shift();
        if (!next) return;
        running++;
        w.postMessage({ type: 'run', task: next } satisfies ToWorker);
      };
      const onStop = () => {
        for (const w of threads) w.postMessage({ type: 'stop' } satisfies ToWorker);
        setTimeout(resolveAll, stop?.graceMs ?? 0).unref();
      };
      const count = Math.max(1, Math.min(workers, tasks.length));
      if (tasks.length === 0) resolveAll();
      for (let i = 0; i < count; i++) {
        const w = startModuleWorker(import.meta.url, 'pool-worker');
        threads.push(w);
        w.on('message', (m: FromWorker) => {
          if (m.type === 'eval') progress.onEval(m.id, m.step, m.totalSteps);
          else if (m.type === 'error')
            rejectAll(
              m.kind === 'usage'
                ? new UsageError(`run ${m.id}: ${m.message}`)
                : m.kind === 'known'
                  ? new LearnabilityError(`run ${m.id}: ${m.message}`)
                  : new Error(`sweep run ${m.id} failed: ${m.message}`),
            );
          else {
            outcomes.set(m.id, m.outcome);
            progress.onDone(m.id, m.outcome);
            running--;
            if ((queue.length === 0 || stop?.signal.aborted) && running === 0) resolveAll();
            else feed(w);
          }
        });
        w.on('error', (e) => rejectAll(e));
        feed(w);
      }
      if (stop?.signal.aborted) onStop();
      else stop?.signal.addEventListener('abort', onStop, { once: true });
    });
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return outcomes;
}

/** A pool's outcomes and, when Ctrl-C stopped it, the line saying so, the exit code (130) and the runs that had ended. */
export interface StoppableOutcomes {
  outcomes: Map<string, PackedRunOutcome>;
  stopped?: { line: string; exitCode: number; ended: number; runs: number };
}

/**
 * `runLocalPool` that Ctrl-C (or SIGTERM) stops: each running run at its next evaluation,
 * checkpointed, no new run started; the same command then continues them. A second Ctrl-C quits
 * at once. `command` names the caller in what it prints.
 */
export async function runLocalPoolStoppable(
  io: Io,
  command: string,
  tasks: readonly PackedRunTask[],
  workers: number,
  progress: PoolProgress,
): Promise<StoppableOutcomes> {
  const interrupt = stopOnSignal(io, command, (sig) =>
    io.err(`${sig}: stopping each run at its next evaluation, checkpointed (${sig} again quits at once)`),
  );
  // A run between evaluations gets a minute to reach one; past it, it resumes from the one before.
  const stop = { signal: interrupt.signal, graceMs: 60_000 };
  const outcomes = await runLocalPool(tasks, workers, progress, stop).finally(interrupt.dispose);
  const ended = [...outcomes.values()].filter((o) => o.summary.status !== 'stopped').length;
  // A stop that came as the last runs ended (they complete at their last evaluation) stopped nothing.
  if (interrupt.exitCode === null || ended === tasks.length) return { outcomes };
  const line = `stopped: ${ended} of ${tasks.length} runs ended; the same command continues the others from their checkpoints`;
  return { outcomes, stopped: { line, exitCode: interrupt.exitCode, ended, runs: tasks.length } };
}
