/**
 * The training worker (a module Web Worker): the CLI's `run` without the files. Same packages,
 * same loop: setupBackend → validateConfig → resolve → runExperiment, events posted to the page.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_MAX_THREADS, memoryLimits, setupBackend } from '@learnability/backends';
import { combineSinks, decodeCheckpoint, encodeCheckpoint, runExperiment } from '@learnability/experiment';
import type { RunSink } from '@learnability/experiment';
import { KERNELS, checkMemory, estimateMemory, resolve, validateConfig } from '@learnability/presets';
import { readWeightMap } from '../lab/first-layer.js';
import { deviceLostLine } from '../lab/run-text.js';
import type { FromWorker, RunRequest, ToWorker } from './messages.js';
import { PauseGate } from './pause-gate.js';

const controller = new AbortController();
const gate = new PauseGate();
let started = false;
/**
 * The last evaluation's checkpoint (until the first: the one this session resumed from), encoded
 * at once since the loop disposes its tensors as it goes on. It goes to the page when the run
 * stops, throws or loses its GPU, so that Continue goes on from it.
 */
let kept: { bytes: Uint8Array; step: number } | null = null;
/** The WebGPU device's loss, once the run is on webgpu. */
let deviceLost: Promise<GPUDeviceLostInfo> | undefined;
/** The run's one error line has been posted: what fails after it is its echo. */
let failed = false;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

/** The run failed: one line (the first failure's), with the last evaluation's checkpoint when there is one. */
function fail(message: string): void {
  if (failed) return;
  failed = true;
  const checkpoint = kept ? { checkpoint: kept.bytes, checkpointStep: kept.step } : {};
  post({ type: 'error', message, ...checkpoint }, kept ? [kept.bytes.buffer] : []);
}

/**
 * A lost GPUDevice never comes back: its work is dropped, and reads fail in the browser's words or
 * never settle, which Stop (acting at evaluations) cannot end. Its loss ends the run in one line;
 * the page then terminates this worker. tfjs never destroys its device, so any loss is a real one.
 */
function watchDeviceLost(): void {
  const device = Reflect.get(tf.backend(), 'device') as { lost?: Promise<GPUDeviceLostInfo> } | undefined;
  deviceLost = device?.lost;
  void deviceLost?.then((info) => fail(deviceLostLine(info.message || info.reason || 'no reason given')));
}

async function run(request: RunRequest): Promise<void> {
  const info = await setupBackend(request.backend, {
    kernels: KERNELS,
    wasmPaths: request.wasmPaths,
    ...(request.backend === 'wasm' ? { threads: request.wasmThreads } : {}),
  });
  post({ type: 'backend', info });
  if (info.name === 'webgpu') watchDeviceLost();
  const config = validateConfig({ ...request.config, backend: request.backend });
  const parts = resolve(config);
  // A run the backend cannot hold (wasm's heap, the adapter's largest tensor) is refused here,
  // before its test set and parameters are allocated, with the value to lower.
  checkMemory(estimateMemory(parts), await memoryLimits(info));
  const resume = request.checkpoint ? decodeCheckpoint(request.checkpoint) : undefined;
  if (request.checkpoint && resume) kept = { bytes: request.checkpoint, step: resume.step };
  // The loop yields to messages at each evaluation and every 250 ms between (it has a signal), so
  // Stop gets through.
  const events: RunSink = { event: (event) => post({ type: 'event', event }) };
  // The first layer's |W| for the heatmap, then the pause gate: a held run shows its latest weights.
  const support =
    'subset' in parts.task && Array.isArray(parts.task.subset)
      ? parts.task.subset.filter((i): i is number => typeof i === 'number')
      : null;
  const weights: RunSink = {
    event: () => undefined,
    checkpoint: async (c, at) => {
      const map = await readWeightMap(c.params, c.step, support);
      if (map) post({ type: 'weights', map }, [map.data.buffer]);
      // Not where the run ends (its last step, or all learned under stopWhenLearned): a Pause or
      // Step has nothing left to hold there.
      const held = !at.final && (await gate.atEvaluation(() => post({ type: 'paused', step: c.step })));
      if (held && !controller.signal.aborted) post({ type: 'resumed', step: c.step });
    },
  };
  const keeper: RunSink = {
    event: () => undefined,
    checkpoint: async (c) => {
      kept = { bytes: await encodeCheckpoint(c), step: c.step };
    },
  };
  const summary = await runExperiment(parts, {
    runId: request.runId,
    config,
    options: config.run,
    // The keeper first: a run held at an evaluation (Pause) already has that evaluation's checkpoint.
    sink: combineSinks(events, keeper, weights),
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
    ...(resume ? { resume } : {}),
  });
  // A stopped run continues from its last evaluation (the loop checks for Stop right after its checkpoint).
  const checkpoint = summary.status === 'stopped' ? kept?.bytes : undefined;
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
  run(message).catch(async (error: unknown) => {
    // A read on a lost device can fail (in the browser's words: "Failed to execute 'mapAsync'…")
    // before the loss is reported: given a second, the loss is what the run ends with.
    if (deviceLost) await Promise.race([deviceLost, new Promise((r) => setTimeout(r, 1000))]);
    fail(error instanceof Error ? error.message : String(error));
  });
});
