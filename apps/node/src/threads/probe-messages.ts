import type { ResolvedConfig } from '@learnability/presets';

/** What the chooser asks a probe thread: time this run's training step with wasm on `threads` threads. */
export interface ProbeRequest {
  config: ResolvedConfig;
  threads: number;
  /** Stop timing once the timed steps took this long (ms). */
  budgetMs: number;
  /** At least this many timed steps before the budget can stop the timing (not the cut). */
  minSteps: number;
  /** At most this many timed steps. */
  maxSteps: number;
  /** Stop at the first timed step slower than this (ms): it has already lost. Null: no cut. */
  stopAboveMs: number | null;
}

export type ProbeReply = { type: 'done'; stepMs: number[] } | { type: 'error'; message: string };
