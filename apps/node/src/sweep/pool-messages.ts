import type { PackedRunOutcome } from './execute-packed-run.js';

/** Messages from a pool worker thread to the sweep. */
export type FromWorker =
  | { type: 'eval'; id: string; step: number; totalSteps: number }
  | { type: 'done'; id: string; outcome: PackedRunOutcome }
  | { type: 'error'; id: string; message: string };
