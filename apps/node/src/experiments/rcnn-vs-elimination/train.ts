import { median } from '@learnability/core';
import { runExperiment } from '@learnability/experiment';
import type { RunSink } from '@learnability/experiment';
import { applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';
import { packageVersions } from '../../versions.js';

/** A network's outcome on one parity: per replica, samples and wall seconds to reach the threshold (null: not within the budget). */
export interface NetworkRun {
  preset: string;
  paramCount: number;
  samples: (number | null)[];
  seconds: (number | null)[];
  finalTestAccuracy: (number | null)[];
  steps: number;
  samplesSeen: number;
  wallSeconds: number;
  status: 'completed' | 'stopped' | 'diverged';
  /** Why it ended: learned, the step budget, or the wall-clock budget. */
  ended: 'learned' | 'steps' | 'time' | 'diverged';
}

/**
 * Trains `preset` with overrides on fresh samples until every replica reaches the learned
 * threshold, more than `maxSeconds` of wall time have passed at an evaluation, or the steps run out.
 */
export async function trainNetwork(
  preset: string,
  sets: string[],
  runId: string,
  maxSeconds: number,
): Promise<NetworkRun> {
  const config = validateConfig(applyOverrides(structuredClone(getPreset(preset).config), sets));
  const parts = resolve(config);
  const R = config.run.replicas;
  const seconds: (number | null)[] = new Array<number | null>(R).fill(null);
  let lastElapsed = 0;
  // The budget is checked at each evaluation, from the sink, against the run's own elapsed time
  // (the evaluation is also where the loop would notice an abort).
  const stop = new AbortController();
  const sink: RunSink = {
    event: (e) => {
      if (e.type === 'eval') {
        lastElapsed = e.elapsedSeconds;
        if (e.elapsedSeconds > maxSeconds) stop.abort();
      }
      if (e.type === 'learned' && typeof e.learner === 'number') seconds[e.learner] = lastElapsed;
    },
  };
  const s = await runExperiment(parts, {
    runId,
    config,
    options: config.run,
    sink,
    signal: stop.signal,
    versions: packageVersions(),
  });
  const learned = s.replicas.every((r) => r.learnedAtSamples !== null);
  return {
    preset,
    paramCount: parts.model?.paramCount ?? 0,
    samples: s.replicas.map((r) => r.learnedAtSamples),
    seconds,
    finalTestAccuracy: s.replicas.map((r) => r.testAccuracy),
    steps: s.steps,
    samplesSeen: s.samplesSeen,
    wallSeconds: s.wallSeconds,
    status: s.status,
    ended: s.status === 'diverged' ? 'diverged' : learned ? 'learned' : s.status === 'stopped' ? 'time' : 'steps',
  };
}

/** Median over the replicas that learned (the non-null values), or null when none did. */
export function medianLearned(values: readonly (number | null)[]): number | null {
  const learned = values.filter((x): x is number => x !== null);
  return learned.length ? median(learned) : null;
}
