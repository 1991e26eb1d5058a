/**
 * Several runs trained side by side, evaluation by evaluation: a comparison of learning rules from
 * the same θ₀ (Align vs backprop, Boopathy & Fiete 2022) needs both networks at the same step, with
 * neither ahead of the other.
 */
import { assert } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import type { Checkpoint } from './checkpoint.js';
import { runExperiment } from './run-experiment.js';
import type { ExperimentParts, RunExperimentOptions } from './run-experiment.js';
import type { RunSink } from './sink.js';

/** One run of a lockstep group: its parts and `runExperiment`'s options (its own sink still gets everything). */
export interface LockstepRun {
  parts: ExperimentParts;
  run: RunExperimentOptions;
}

/**
 * Called once every run still training has reached the evaluation at `step`, with each run's
 * checkpoint there (in `runs` order; null for a run that has ended). The runs wait until it
 * returns. The checkpoints' tensors are the runs': read them, do not keep or dispose them.
 */
export type AtEval = (step: number, checkpoints: readonly (Checkpoint | null)[]) => void | Promise<void>;

/**
 * Trains `runs` concurrently through `runExperiment`, holding each at every evaluation until all
 * that are still training have reached it; then `atEval` sees them all. A run that ends (learned,
 * diverged, stopped) is no longer waited for. The runs must evaluate at the same steps: the same
 * `evalEvery`, and the same `steps` or multiples of it (a run also evaluates at its last step). When one run fails, the others stop at their next evaluation and, once all have
 * ended, the failure is thrown. Lockstep changes no number: each run trains as it would alone.
 */
export async function runInLockstep(runs: readonly LockstepRun[], atEval: AtEval): Promise<RunSummary[]> {
  assert(
    Array.isArray(runs) && runs.length > 0,
    () =>
      `runInLockstep: runs must be a non-empty array of { parts, run }, but got ${Array.isArray(runs) ? 'an empty array' : typeof runs}`,
  );
  runs.forEach((r, i) =>
    assert(
      typeof r?.parts === 'object' && r.parts !== null && typeof r.run === 'object' && r.run !== null,
      () =>
        `runInLockstep: runs[${i}] must be { parts, run }, runExperiment's two arguments, but has keys [${Object.keys(r ?? {}).join(', ')}]`,
    ),
  );
  assert(
    typeof atEval === 'function',
    () => `runInLockstep: atEval must be a function (step, checkpoints) => void, but got ${typeof atEval}`,
  );
  const ended = runs.map(() => false);
  const failed = new AbortController();
  let failure: { error: unknown } | null = null;
  /** Stops every run at its next evaluation; the first failure is what the group throws. */
  const fail = (error: unknown) => {
    failure ??= { error };
    failed.abort();
  };
  let group: { step: number; checkpoints: (Checkpoint | null)[]; release: (() => void)[] } | null = null;

  /** Calls `atEval` and lets the runs go on, once every run still training has joined the group. */
  const closeGroup = async (): Promise<void> => {
    const g = group;
    if (!g?.checkpoints.every((c, i) => c !== null || ended[i])) return;
    group = null;
    try {
      // After a failure the runs only finish their step and stop: nothing to compare.
      if (!failure) await atEval(g.step, g.checkpoints);
    } finally {
      for (const release of g.release) release();
    }
  };

  const sinkOf = (i: number, own: RunSink | undefined): RunSink => ({
    event: (e) => own?.event(e),
    checkpoint: async (c, at) => {
      await own?.checkpoint?.(c, at);
      group ??= { step: c.step, checkpoints: runs.map(() => null), release: [] };
      if (group.step !== c.step)
        throw new Error(
          `runInLockstep: run ${i} evaluated at step ${c.step} while the others are at ${group.step}; runs in lockstep evaluate at the same steps: give every run the same evalEvery, and the same steps or steps that are multiples of it (a run also evaluates at its last step)`,
        );
      group.checkpoints[i] = c;
      const released = new Promise<void>((resolve) => group?.release.push(resolve));
      await closeGroup();
      await released;
    },
  });

  const train = async ({ parts, run }: LockstepRun, i: number): Promise<RunSummary> => {
    try {
      const signal = run.signal ? AbortSignal.any([run.signal, failed.signal]) : failed.signal;
      return await runExperiment(parts, { ...run, signal, sink: sinkOf(i, run.sink) });
    } catch (e) {
      fail(e);
      throw e;
    } finally {
      ended[i] = true;
      // The others may be waiting for this run at their evaluation.
      await closeGroup().catch(fail);
    }
  };

  // Every run settles before this returns or throws: none trains on in the background.
  const settled = await Promise.allSettled(runs.map(train));
  if (failure) throw (failure as { error: unknown }).error;
  return settled.map((s) => (s as PromiseFulfilledResult<RunSummary>).value);
}
