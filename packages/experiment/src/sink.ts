import type { RunEvent } from '@learnability/core';
import type { Checkpoint } from './checkpoint.js';

/**
 * Where a run's events go. `event` is called for every event in order; `checkpoint`, when
 * present, after each evaluation with a state to resume from. Both may be async; the loop
 * waits for them, so a record is on disk before training continues.
 */
export interface RunSink {
  event(e: RunEvent): void | Promise<void>;
  checkpoint?(c: Checkpoint): void | Promise<void>;
}

/** Fans events out to several sinks. */
export function combineSinks(...sinks: RunSink[]): RunSink {
  return {
    async event(e) {
      for (const s of sinks) await s.event(e);
    },
    async checkpoint(c) {
      for (const s of sinks) if (s.checkpoint) await s.checkpoint(c);
    },
  };
}

/** Keeps every event in memory (tests, the browser). */
export function memorySink(): RunSink & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return { events, event: (e) => void events.push(e) };
}
