import type { ResolvedConfig } from '@learnability/presets';

/**
 * What the chooser asks a probe thread, in two messages: `set-up` (load TF.js and wasm with
 * `threads` threads, build the run's parts), answered `ready`; then `time` (time this run's
 * training step), answered `done`. Probes set up side by side and time one at a time, so no
 * probe's timing shares the machine with another's start-up.
 */
export interface ProbeSetUp {
  type: 'set-up';
  config: ResolvedConfig;
  threads: number;
}

export interface ProbeTiming {
  type: 'time';
  /** Stop timing once the timed steps took this long (ms). */
  budgetMs: number;
  /** At least this many timed steps before the budget can stop the timing (not the cut). */
  minSteps: number;
  /** At most this many timed steps. */
  maxSteps: number;
  /** Stop at the first timed step slower than this (ms): it has already lost. Null: no cut. */
  stopAboveMs: number | null;
}

export type ProbeRequest = ProbeSetUp | ProbeTiming;

export type ProbeReply = { type: 'ready' } | { type: 'done'; stepMs: number[] } | { type: 'error'; message: string };
