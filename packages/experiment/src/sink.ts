import { assert, showValue } from '@learnability/core';
import type { RunEvent } from '@learnability/core';
import type { Checkpoint } from './checkpoint.js';

/**
 * Where a run's events go. `event` is called for every event in order; `checkpoint`, when
 * present, after each evaluation with a state to resume from, and `final` true where the run ends
 * after it: its last step, or, with `stopWhenLearned`, every replica and learner done (a stop
 * asked for by the run's signal is seen after the checkpoint, so it is not counted; a pause held
 * at a final checkpoint would hold a run with nothing left to train). Both may be async; the loop
 * waits for them, so a record is on disk before training continues.
 */
export interface RunSink {
  event(e: RunEvent): void | Promise<void>;
  checkpoint?(c: Checkpoint, at: { final: boolean }): void | Promise<void>;
}

/** Throws, in one line naming `where`, unless `sink` has `event(e)`: a run found out at its first event. */
export function assertSink(sink: unknown, where: string): asserts sink is RunSink {
  assert(
    typeof (sink as RunSink | null)?.event === 'function',
    () => `${where} must be a sink with event(e), such as memorySink() or fileSink(path), but got ${showValue(sink)}`,
  );
}

/** Fans events out to several sinks. */
export function combineSinks(...sinks: RunSink[]): RunSink {
  sinks.forEach((s, i) => assertSink(s, `combineSinks: sink ${i}`));
  return {
    async event(e) {
      for (const s of sinks) await s.event(e);
    },
    async checkpoint(c, at) {
      for (const s of sinks) if (s.checkpoint) await s.checkpoint(c, at);
    },
  };
}

/** Keeps every event in memory (tests, the browser). */
export function memorySink(): RunSink & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return { events, event: (e) => void events.push(e) };
}
