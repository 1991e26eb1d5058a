/**
 * A thread that times a run's training step on wasm with one thread count. wasm's thread count
 * is fixed once per TF.js instance (tfjs-backend-wasm 4.22 has no way to resize XNNPACK's pool),
 * and each worker thread loads its own, so a probe per count is the only honest comparison.
 */
import { parentPort } from 'node:worker_threads';
import { setupBackend } from '@learnability/backends';
import { runExperiment } from '@learnability/experiment';
import { KERNELS, resolve } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import type { ProbeReply, ProbeRequest, ProbeTiming } from './probe-messages.js';

const port = parentPort;
if (!port) throw new Error('probe-worker.ts runs only as a worker thread');

let config: ResolvedConfig | undefined;

const reply = (work: Promise<ProbeReply>) =>
  work.then(
    (m) => port.postMessage(m),
    (error: unknown) =>
      port.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      } satisfies ProbeReply),
  );

port.on('message', (m: ProbeRequest) => {
  if (m.type === 'set-up') {
    config = m.config;
    // With the run's fused kernels: the step timed is the step the run will take.
    reply(setupBackend('wasm', { threads: m.threads, kernels: KERNELS }).then(() => ({ type: 'ready' })));
  } else {
    const timing = config ? time(config, m) : Promise.reject(new Error('a probe was asked to time before its set-up'));
    reply(timing.then((stepMs) => ({ type: 'done', stepMs })));
  }
});

/** Wall ms of each timed step (the first, which compiles kernels and warms caches, is not timed). */
async function time(base: ResolvedConfig, m: ProbeTiming): Promise<number[]> {
  // Evaluate every step on a tiny test set: an eval's msPerStep is the wall time of the steps
  // since the previous eval ended, so with evalEvery 1 it is exactly one training step.
  const run = {
    ...base.run,
    steps: m.maxSteps + 1,
    evalEvery: 1,
    testSize: Math.min(base.run.testSize, 16),
    stopWhenLearned: false,
  };
  const config = { ...base, run };
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
