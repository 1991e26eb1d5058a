/**
 * A thread that times a run's training step on wasm with one thread count. wasm's thread count
 * is fixed once per TF.js instance (tfjs-backend-wasm 4.22 has no way to resize XNNPACK's pool),
 * and each worker thread loads its own, so a probe per count is the only honest comparison.
 */
import { parentPort } from 'node:worker_threads';
import { setupBackend } from '@learnability/backends';
import { runExperiment } from '@learnability/experiment';
import { KERNELS, resolve } from '@learnability/presets';
import type { ProbeReply, ProbeRequest } from './probe-messages.js';

const port = parentPort;
if (!port) throw new Error('probe-worker.ts runs only as a worker thread');

port.once('message', (m: ProbeRequest) => {
  probe(m).then(
    (stepMs) => port.postMessage({ type: 'done', stepMs } satisfies ProbeReply),
    (error: unknown) =>
      port.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      } satisfies ProbeReply),
  );
});

/** Wall ms of each timed step (the first, which compiles kernels and warms caches, is not timed). */
async function probe(m: ProbeRequest): Promise<number[]> {
  // With the run's fused kernels: the step timed is the step the run will take.
  await setupBackend('wasm', { threads: m.threads, kernels: KERNELS });
  // Evaluate every step on a tiny test set: an eval's msPerStep is the wall time of the steps
  // since the previous eval ended, so with evalEvery 1 it is exactly one training step.
  const run = {
    ...m.config.run,
    steps: m.maxSteps + 1,
    evalEvery: 1,
    testSize: Math.min(m.config.run.testSize, 16),
    stopWhenLearned: false,
  };
  const config = { ...m.config, run };
  const controller = new AbortController();
  const stepMs: number[] = [];
  await runExperiment(resolve(config), {
    runId: 'thread-probe',
    config,
    options: run,
    signal: controller.signal,
    sink: {
      event: (e) => {
        if (e.type !== 'eval' || e.step === 1) return;
        stepMs.push(e.msPerStep);
        const spent = stepMs.reduce((a, b) => a + b, 0);
        if (
          (spent >= m.budgetMs && stepMs.length >= m.minSteps) ||
          (m.stopAboveMs !== null && e.msPerStep > m.stopAboveMs)
        )
          controller.abort();
      },
    },
  });
  if (stepMs.length === 0) throw new Error('the run ended before a step could be timed');
  return stepMs;
}
