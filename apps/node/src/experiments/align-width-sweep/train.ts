import * as tf from '@tensorflow/tfjs-core';
import type { Params, RunSummary } from '@learnability/core';
import { runExperiment } from '@learnability/experiment';
import type { RunSink } from '@learnability/experiment';
import { applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { packageVersions } from '../../versions.js';

/**
 * One finished run: its summary and its first and last parameters (owned by the caller); a run
 * that diverged has no checkpoint of its last parameters, so `final` is then absent.
 */
export interface TrainedRun {
  config: ResolvedConfig;
  summary: RunSummary;
  initial?: Params;
  final?: Params;
}

const clone = (p: Params): Params =>
  tf.tidy(() => Object.fromEntries(Object.entries(p).map(([k, t]) => [k, t.clone()])));

/**
 * Trains a preset with overrides and keeps θ₀ and θ_T: the loop hands its parameters to the
 * sink's checkpoint after every evaluation, and the last evaluation is the last step.
 */
export async function trainRun(preset: string, sets: string[], runId: string): Promise<TrainedRun> {
  const config = validateConfig(applyOverrides(structuredClone(getPreset(preset).config), sets));
  let initial: Params | undefined;
  let final: Params | undefined;
  let summary: RunSummary | undefined;
  const sink: RunSink = {
    event: (e) => {
      if (e.type === 'end') summary = e.summary;
    },
    checkpoint: (c) => {
      initial ??= clone(c.initialParams);
      if (final) tf.dispose(Object.values(final));
      final = clone(c.params);
    },
  };
  await runExperiment(resolve(config), { runId, config, options: config.run, sink, versions: packageVersions() });
  if (!summary) throw new Error(`${runId}: the run ended without a summary`);
  if (summary.status === 'completed' && (!initial || !final))
    throw new Error(`${runId}: the run ended without an evaluation`);
  return { config, summary, ...(initial ? { initial } : {}), ...(final ? { final } : {}) };
}
