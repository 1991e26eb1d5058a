import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread.js';
import type { PackedRunOutcome, PackedRunTask } from './execute-packed-run.js';
import type { FromWorker } from './pool-messages.js';

/** Progress of a sweep's packed runs, for the single progress view. */
export interface PoolProgress {
  onEval(id: string, step: number, totalSteps: number): void;
  onDone(id: string, outcome: PackedRunOutcome): void;
}

/**
 * Runs packed runs on `workers` worker threads (each with its own TF.js backend), each worker
 * taking the next run as it finishes one. Rejects on the first failed run, after stopping the pool.
 */
export async function runLocalPool(tasks: readonly PackedRunTask[], workers: number, progress: PoolProgress): Promise<Map<string, PackedRunOutcome>> {
  const outcomes = new Map<string, PackedRunOutcome>();
  const queue = [...tasks];
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      let running = 0;
      const feed = (w: Worker) => {
        const next = queue.shift();
        if (!next) return;
        running++;
        w.postMessage(next);
      };
      const count = Math.max(1, Math.min(workers, tasks.length));
      if (tasks.length === 0) resolveAll();
      for (let i = 0; i < count; i++) {
        const w = startModuleWorker(import.meta.url, 'pool-worker');
        threads.push(w);
        w.on('message', (m: FromWorker) => {
          if (m.type === 'eval') progress.onEval(m.id, m.step, m.totalSteps);
          else if (m.type === 'error') rejectAll(new Error(`sweep run ${m.id} failed: ${m.message}`));
          else {
            outcomes.set(m.id, m.outcome);
            progress.onDone(m.id, m.outcome);
            running--;
            if (queue.length === 0 && running === 0) resolveAll();
            else feed(w);
          }
        });
        w.on('error', (e) => rejectAll(e));
        feed(w);
      }
    });
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return outcomes;
}
