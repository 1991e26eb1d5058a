/**
 * What the explorers' module workers and the page say to each other. The page sends one start
 * message (the job and the backend to run it on) and, optionally, `stop`; the worker answers with
 * the backend it set up, progress items, and `done` or `error`. One worker per job: the page
 * terminates it when the job ends or is stopped, which frees every tensor it held.
 */
import { setupBackend } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import type { BackendInfo, BackendRequest } from '@learnability/backends';
import { pageWasmThreads } from '../lab/backend-choice.js';
import { browserWording } from '../lab/browser-wording.js';

/** The backend part of every start message. */
export interface BackendSpec {
  backend: BackendRequest;
  /** URL prefix of tfjs-backend-wasm's `.wasm` files (the lab serves them at `tfjs-wasm/`). */
  wasmPaths: string;
  wasmThreads: number;
}

export type ToWorker<Job> = { type: 'start'; job: Job; backend: BackendSpec } | { type: 'stop' };

export type FromWorker<Progress> =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'progress'; item: Progress }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** The backends a user may pick; `auto` is webgpu on a real adapter, else wasm (setupBackend). */
export const EXPLORER_BACKENDS: readonly BackendRequest[] = ['auto', 'webgpu', 'wasm', 'cpu'];

/** One line naming the backend in use: `webgpu — NVIDIA (ampere)`, `wasm — 2 threads, SIMD`. */
export function describeBackend(info: BackendInfo): string {
  if (info.name === 'webgpu') {
    const a = info.adapter;
    const name = a ? [a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' ') : '';
    return `webgpu — ${name || 'adapter'}${a?.isFallbackAdapter ? ' (software fallback adapter)' : ''}${info.requested === 'auto' ? ' (auto)' : ''}`;
  }
  if (info.name === 'wasm') {
    const parts = [
      info.threads !== undefined ? `${info.threads} thread${info.threads === 1 ? '' : 's'}` : '',
      info.simd ? 'SIMD' : info.simd === false ? 'no SIMD' : '',
    ].filter((s) => s !== '');
    return `wasm${parts.length ? ` — ${parts.join(', ')}` : ''}${info.requested === 'auto' ? ' (auto: no hardware WebGPU adapter)' : ''}`;
  }
  return `cpu${info.requested === 'auto' ? ' (auto)' : ''}`;
}

/**
 * The worker side: answers one `start` with `run(job, post, signal)`, reporting the backend first
 * and turning a throw into an `error` message. `stop` aborts the signal (jobs check it between
 * their steps; the page also terminates the worker).
 */
export function serveJob<Job, Progress>(
  run: (job: Job, post: (item: Progress) => void, signal: AbortSignal) => Promise<void>,
): void {
  const controller = new AbortController();
  let started = false;
  const send = (m: FromWorker<Progress>) => self.postMessage(m);
  self.addEventListener('message', (e: MessageEvent<ToWorker<Job>>) => {
    const m = e.data;
    if (m.type === 'stop') {
      controller.abort();
      return;
    }
    if (started)
      return send({ type: 'error', message: 'this worker already ran a job; the page starts a new one per job' });
    started = true;
    const b = m.backend;
    setupBackend(b.backend, {
      kernels: KERNELS,
      wasmPaths: b.wasmPaths,
      ...(b.backend === 'wasm' || b.backend === 'auto' ? { threads: b.wasmThreads } : {}),
    })
      .then(async (info) => {
        send({ type: 'backend', info });
        await run(m.job, (item) => send({ type: 'progress', item }), controller.signal);
        send({ type: 'done' });
      })
      .catch((error: unknown) =>
        send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
  });
}

export interface JobHandlers<Progress> {
  backend(info: BackendInfo): void;
  progress(item: Progress): void;
  done(): void;
  error(message: string): void;
}

/** The page side: starts `job` on `worker` and returns a function that stops it (terminating the worker). */
export function startJob<Job, Progress>(
  worker: Worker,
  job: Job,
  backend: BackendSpec,
  on: JobHandlers<Progress>,
): () => void {
  let live = true;
  const end = () => {
    if (!live) return;
    live = false;
    worker.terminate();
  };
  worker.addEventListener('message', (e: MessageEvent<FromWorker<Progress>>) => {
    if (!live) return;
    const m = e.data;
    if (m.type === 'backend') on.backend(m.info);
    else if (m.type === 'progress') on.progress(m.item);
    else if (m.type === 'done') {
      end();
      on.done();
    } else {
      end();
      // The packages' fixes name CLI flags (`use --backend wasm`); here the fix is the backend field.
      on.error(browserWording(m.message));
    }
  });
  worker.addEventListener('error', (e) => {
    if (!live) return;
    end();
    on.error(`the worker failed: ${e.message || 'see the browser console'}`);
  });
  const start: ToWorker<Job> = { type: 'start', job, backend };
  worker.postMessage(start);
  return end;
}

/** The page's backend spec for `backend` (wasm files beside index.html, as the lab serves them). */
export function backendSpec(backend: BackendRequest): BackendSpec {
  return {
    backend,
    wasmPaths: new URL('tfjs-wasm/', document.baseURI).href,
    wasmThreads: pageWasmThreads(crossOriginIsolated, navigator.hardwareConcurrency),
  };
}

/** An explorer's Run / Stop buttons and status line around one worker job at a time. */
export interface JobControls {
  /** Stops any job still running, marks the status running with `message`, and starts a job (`start` returns its stop). */
  begin(message: string, start: () => () => void): void;
  /** The job ended (or was stopped): buttons back, status `state` with `message`. */
  finish(message: string, state: 'done' | 'error' | 'idle'): void;
  /** Stops the running job, if any (Stop, or the explorer's teardown). */
  cancel(): void;
}

export function jobControls(run: HTMLButtonElement, stop: HTMLButtonElement | null, status: HTMLElement): JobControls {
  let stopJob: (() => void) | null = null;
  return {
    begin(message, start) {
      stopJob?.();
      run.disabled = true;
      if (stop) stop.disabled = false;
      status.dataset['state'] = 'running';
      status.textContent = message;
      stopJob = start();
    },
    finish(message, state) {
      stopJob = null;
      run.disabled = false;
      if (stop) stop.disabled = true;
      status.dataset['state'] = state;
      status.textContent = message;
    },
    cancel: () => stopJob?.(),
  };
}
