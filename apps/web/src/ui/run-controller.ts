/**
 * Runs one training session at a time in a fresh module worker, keeps the run's events (the
 * record) and the last checkpoint, and continues a stopped or failed run from that checkpoint.
 */
import type { BackendInfo } from '@learnability/backends';
import type { RunEvent, RunSummary } from '@learnability/core';
import { memorySink } from '@learnability/experiment';
import { pageWasmThreads } from '../lab/backend-choice.js';
import type { WeightMap } from '../lab/first-layer.js';
import { eventsUpTo } from '../lab/record-file.js';
import type { LabBackend } from '../lab/url-state.js';
import type { FromWorker, RunRequest, ToWorker } from '../worker/messages.js';

/** What the page is told while a run goes. */
export interface RunCallbacks {
  backend(info: BackendInfo): void;
  event(e: RunEvent, all: readonly RunEvent[]): void;
  done(summary: RunSummary): void;
  error(message: string): void;
  /** |W| of the first dense layer after an evaluation. */
  weights(map: WeightMap): void;
  /** The run is held at the evaluation of `step` (Pause, Step), or goes on. */
  gate(state: 'paused' | 'resumed', step: number): void;
}

/** A run to start: the config (validated by the page), where it runs, and its id. */
export interface RunPlan {
  runId: string;
  config: Record<string, unknown>;
  backend: LabBackend;
}

export class RunController {
  private worker: Worker | null = null;
  private sink = memorySink();
  private checkpoint: Uint8Array | null = null;
  private plan: RunPlan | null = null;
  /** The step of `checkpoint`'s evaluation. */
  private checkpointStep: number | null = null;
  private loadedId: string | null = null;
  /** While a continued session has sent nothing yet: the step the record is cut back to at its first event. */
  private cutAt: number | null = null;

  constructor(private readonly callbacks: RunCallbacks) {}

  get running(): boolean {
    return this.worker !== null;
  }

  get events(): readonly RunEvent[] {
    return this.sink.events;
  }

  /**
   * True when the last session stopped early, or failed (an error, a lost GPU) after an
   * evaluation, and left that evaluation's checkpoint to continue from.
   */
  get canContinue(): boolean {
    return this.worker === null && this.checkpoint !== null && this.checkpointStep !== null;
  }

  /** The step Continue goes on from, when it can. */
  get continueStep(): number | null {
    return this.canContinue ? this.checkpointStep : null;
  }

  start(plan: RunPlan): void {
    this.plan = plan;
    this.loadedId = null;
    this.sink = memorySink();
    this.checkpoint = null;
    this.checkpointStep = null;
    this.launch(undefined);
  }

  /**
   * Continues the stopped or failed run from its in-memory checkpoint (a new start line is appended), on
   * `backend` (the picker's: it may differ from the one the run so far had, as `--resume
   * --backend` may). The record stays as it is until the new session's first event, as the CLI's
   * file sink cuts a record back only at its first write, and the checkpoint until the session
   * sends a newer one: a session that fails to start, or is stopped at once, leaves the stopped
   * run to download or continue again.
   */
  continue(backend: LabBackend): void {
    if (!this.canContinue || !this.checkpoint || !this.plan || this.checkpointStep === null) return;
    // Events past the checkpoint's evaluation (a failed session may have some) are dropped then.
    this.cutAt = this.checkpointStep;
    this.launch(this.checkpoint, backend);
  }

  /**
   * The backend the run so far ran on, to say so when Continue goes on elsewhere: a continued
   * session's only once it has started (its first event), so one that failed to start does not
   * leave its backend here.
   */
  get plannedBackend(): LabBackend | null {
    return this.plan?.backend ?? null;
  }

  stop(): void {
    this.post({ type: 'stop' });
  }

  /**
   * Ends the session at once, its worker terminated: for a run that Stop cannot reach (a setup or
   * a GPU read that never settles). The record so far stays; a checkpoint comes only with a Stop
   * that completes, so Continue goes on from the checkpoint this session began from, if any (the
   * next session cuts the record back to it).
   */
  kill(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.cutAt = null;
  }

  /** Holds the run at its next evaluation. */
  pause(): void {
    this.post({ type: 'pause' });
  }

  /** Trains to the next evaluation and holds there. */
  step(): void {
    this.post({ type: 'step' });
  }

  resume(): void {
    this.post({ type: 'resume' });
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Replaces the events (a loaded record) so they can be plotted and downloaded again. */
  load(events: readonly RunEvent[], runId: string): void {
    this.sink = memorySink();
    for (const e of events) void this.sink.event(e);
    this.plan = null;
    this.checkpoint = null;
    this.checkpointStep = null;
    this.loadedId = runId;
  }

  /** Id for a download: the run's, or a loaded record's. */
  get recordId(): string | null {
    return this.plan?.runId ?? this.loadedId;
  }

  private launch(checkpoint: Uint8Array | undefined, backend?: LabBackend): void {
    if (!this.plan) return;
    const plan = backend === undefined ? this.plan : { ...this.plan, backend };
    const worker = new Worker(new URL('../worker/train-worker.ts', import.meta.url), {
      type: 'module',
      name: 'learnability-train',
    });
    this.worker = worker;
    const finish = (): void => {
      worker.terminate();
      if (this.worker === worker) this.worker = null;
    };
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      // A message a killed worker had already sent (Stop now) is not this page's any more.
      if (this.worker !== worker) return;
      const m = e.data;
      if (m.type === 'backend') this.callbacks.backend(m.info);
      else if (m.type === 'weights') this.callbacks.weights(m.map);
      else if (m.type === 'paused' || m.type === 'resumed') this.callbacks.gate(m.type, m.step);
      else if (m.type === 'event') {
        if (this.cutAt !== null) {
          // The continued session has started: drop what came after the checkpoint and the end line.
          const kept = eventsUpTo(this.sink.events, this.cutAt);
          this.sink = memorySink();
          for (const e of kept) void this.sink.event(e);
          // The checkpoint stays until the session sends a newer one (done, or an error after an
          // evaluation): a session killed or failed before that continues from it again.
          this.cutAt = null;
          if (this.plan) this.plan = { ...this.plan, backend: plan.backend };
        }
        void this.sink.event(m.event);
        this.callbacks.event(m.event, this.sink.events);
      } else if (m.type === 'done') {
        // Only a stopped run sends one: it ends right after the evaluation it checkpointed.
        this.checkpoint = m.checkpoint ?? null;
        this.checkpointStep = m.checkpoint ? m.summary.steps : null;
        finish();
        this.callbacks.done(m.summary);
      } else if (m.type === 'error') {
        // Failed after an evaluation: Continue goes on from it. Failed before its first event, a
        // continued session keeps the checkpoint it started from (the record was not cut).
        if (m.checkpoint && m.checkpointStep !== undefined) {
          this.checkpoint = m.checkpoint;
          this.checkpointStep = m.checkpointStep;
        }
        this.cutAt = null;
        finish();
        this.callbacks.error(m.message);
      }
    });
    worker.addEventListener('error', (e) => {
      // As for messages: an error of a worker that Stop now killed is not this session's.
      if (this.worker !== worker) return;
      this.cutAt = null;
      finish();
      this.callbacks.error(`the training worker failed to load: ${e.message || 'see the browser console'}`);
    });
    const request: RunRequest = {
      type: 'run',
      runId: plan.runId,
      config: plan.config,
      backend: plan.backend,
      wasmPaths: new URL('tfjs-wasm/', document.baseURI).href,
      wasmThreads: pageWasmThreads(crossOriginIsolated, navigator.hardwareConcurrency),
      versions: __LAB_VERSIONS__,
      ...(checkpoint ? { checkpoint } : {}),
    };
    // Not transferred: the checkpoint is copied, and this page keeps it until the new session starts.
    worker.postMessage(request);
  }
}
