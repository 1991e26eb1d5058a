/**
 * A lab run's config trained again in this Node process, on wasm with the kernels the lab
 * registers: the reference the e2e test compares the lab's numbers in Chromium with.
 */
import { setupBackend } from '@learnability/backends';
import type { EvalEvent } from '@learnability/core';
import { runExperiment } from '@learnability/experiment';
import { KERNELS, resolve, validateConfig } from '@learnability/presets';

/** Each evaluation's per-replica training loss of `config` (a record's start config) run here on wasm, one thread. */
export async function evalLossesInNode(config: unknown): Promise<number[][]> {
  await setupBackend('wasm', { kernels: KERNELS, threads: 1 });
  const valid = validateConfig(config);
  const evals: EvalEvent[] = [];
  await runExperiment(resolve(valid), {
    runId: 'node-reference',
    config: valid,
    options: valid.run,
    sink: { event: (e) => void (e.type === 'eval' && evals.push(e)) },
  });
  return evals.map((e) => e.loss);
}
