import type { PackedRunOutcome, PackedRunTask } from './execute-packed-run.js';

/** Messages from the sweep to a pool worker thread: a run to do, or stop the current one at its next evaluation. */
export type ToWorker = { type: 'run'; task: PackedRunTask } | { type: 'stop' };

/** Messages from a pool worker thread to the sweep. */
export type FromWorker =
  | { type: 'eval'; id: string; step: number; totalSteps: number }
  | { type: 'done'; id: string; outcome: PackedRunOutcome }
  /**
   * `usage`: bad input (a refused record, a run too big; exit 2); `known`: one of our own errors (a
   * backend that cannot run here; exit 1); both said in one line as the CLI's own errors are.
   * `bug`: anything else, with the hint to set LEARNABILITY_DEBUG for its stack.
   */
  | { type: 'error'; id: string; message: string; kind: 'usage' | 'known' | 'bug' };
