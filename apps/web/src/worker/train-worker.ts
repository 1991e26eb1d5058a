/**
 * The training worker (a module Web Worker): the CLI's `run` without the files. Same packages,
 * same loop: setupBackend → validateConfig → resolve → runExperiment, events posted to the page.
 */
import { WASM_MAX_THREADS, memoryLimits, setupBackend } from '@learnability/backends';
import { combineSinks, decodeCheckpoint, encodeCheckpoint, runExperiment } from '@learnability/experiment';
import type { RunSink } from '@learnability/experiment';
import { KERNELS, checkMemory, estimateMemory, resolve, validateConfig } from '@learnability/presets';
import { readWeightMap } from '../lab/first-layer.js';
import type { FromWorker, RunRequest, ToWorker } from './messages.js';
import { PauseGate } from './pause-gate.js';

const controller = new AbortController();
const gate = new PauseGate();
let started = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

async function run(request: RunRequest): Promise<void> {
  const info = await setupBackend(request.backend, {
    kernels: KERNELS,
    wasmPaths: request.wasmPaths,
    ...(request.backend === 'wasm' ? { threads: request.wasmThreads } : {}),
  });
  post({ type: 'backend', info });
  const config = validateConfig({ ...request.config, backend: request.backend });
  const parts = resolve(config);
  // A run the backend cannot hold (wasm's heap, the adapter's largest tensor) is refused here,
  // before its test set and parameters are allocated, with the value to lower.
  checkMemory(estimateMemory(parts), await memoryLimits(info));
  // The checkpoint a stopped run continues from. The loop checkpoints after every evaluation and
  // checks for Stop right after, so only the one taken once Stop has arrived is read back
  // (encoded at once: the loop disposes those tensors as it goes on).
  let checkpoint: Uint8Array | undefined;
  // The loop yields to messages at each evaluation (it has a signal), so Stop gets through.
  const events: RunSink = { event: (event) => post({ type: 'event', event }) };
  // The first layer's |W| for the heatmap, then the pause gate: a held run shows its latest weights.
  const support =
    'subset' in parts.task && Array.isArray(parts.task.subset)
      ? parts.task.subset.filter((i): i is number => typeof i === 'number')
      : null;
  const weights: RunSink = {
    event: () => undefined,
    checkpoint: async (c) => {
      const map = await readWeightMap(c.params, c.step, support);
      if (map) post({ type: 'weights', map }, [map.data.buffer]);
      const held = await gate.atEvaluation(() => post({ type: 'paused', step: c.step }));
      if (held && !controller.signal.aborted) post({ type: 'resumed', step: c.step });
    },
  };
  const keeper: RunSink = {
    event: () => undefined,
    checkpoint: async (c) => {
      if (controller.signal.aborted) checkpoint = await encodeCheckpoint(c);
    },
  };
  const summary = await runExperiment(parts, {
    runId: request.runId,
    config,
    options: config.run,
    sink: combineSinks(events, weights, keeper),
    signal: controller.signal,
    // Wall times without the time Pause held the run.
    clock: () => gate.now(),
    versions: request.versions,
    // As the CLI records its thread choice: here the page's cores (isolated) or 1.
    ...(info.name === 'wasm' && info.threads !== undefined
      ? {
          backendDetail: `${info.threads} wasm thread(s), the page's cores up to ${WASM_MAX_THREADS} when cross-origin isolated, else 1`,
        }
      : {}),
    ...(request.checkpoint ? { resume: decodeCheckpoint(request.checkpoint) } : {}),
  });
  post({ type: 'done', summary, ...(checkpoint ? { checkpoint } : {}) }, checkpoint ? [checkpoint.buffer] : []);
}

self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const message = e.data;
  if (message.type === 'stop') {
    controller.abort();
    gate.release();
    return;
  }
  if (message.type !== 'run') {
    gate[message.type]();
    return;
  }
  if (started) {
    post({ type: 'error', message: 'this worker already ran; the page starts a new worker for each run' });
    return;
  }
  started = true;
  run(message).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
