/**
 * Messages between the page and the training worker. The worker sets up a backend, runs
 * `runExperiment` once, streams every event, and ends with `done` (and the last checkpoint, so the
 * page can continue a stopped run in a fresh worker) or `error`.
 */
import type { BackendInfo } from '@learnability/backends';
import type { RunEvent, RunSummary } from '@learnability/core';
import type { WeightMap } from '../lab/first-layer.js';
import type { LabBackend } from '../lab/url-state.js';

/** Page → worker: start a run. */
export interface RunRequest {
  type: 'run';
  runId: string;
  /** A raw config; the worker validates it (the page already did) and resolves its parts. */
  config: Record<string, unknown>;
  backend: LabBackend;
  /** URL prefix, ending in `/`, where tfjs-backend-wasm's `.wasm` files are served. */
  wasmPaths: string;
  /** wasm threads: the cores when the page is cross-origin isolated, else 1. */
  wasmThreads: number;
  /** Continue from this checkpoint (`encodeCheckpoint` bytes). */
  checkpoint?: Uint8Array;
  versions: Record<string, string>;
}

/** Page → worker: stop at the next evaluation (the run ends with status `stopped`). */
export interface StopRequest {
  type: 'stop';
}

/**
 * Page → worker: `pause` holds the run at its next evaluation, `step` trains to the next
 * evaluation and holds there, `resume` goes on (pause-gate.ts).
 */
export interface GateRequest {
  type: 'pause' | 'step' | 'resume';
}

export type ToWorker = RunRequest | StopRequest | GateRequest;

/** Worker → page: the backend is up. */
export interface BackendReady {
  type: 'backend';
  info: BackendInfo;
}

/** Worker → page: one run event, in order. */
export interface EventMessage {
  type: 'event';
  event: RunEvent;
}

/** Worker → page: the run ended; `checkpoint` is the state after its last evaluation, if any. */
export interface DoneMessage {
  type: 'done';
  summary: RunSummary;
  checkpoint?: Uint8Array;
}

/** Worker → page: setup or training failed (or the GPU was lost); one line, and the last evaluation's checkpoint if any. */
export interface ErrorMessage {
  type: 'error';
  message: string;
  checkpoint?: Uint8Array;
  /** The step of `checkpoint`'s evaluation: the record is cut back to it when the run continues. */
  checkpointStep?: number;
}

/** Worker → page: after each evaluation, |W| of the first dense layer (models that have one). */
export interface WeightsMessage {
  type: 'weights';
  map: WeightMap;
}

/** Worker → page: the run is held at the evaluation of `step` (`paused`), or goes on (`resumed`). */
export interface GateMessage {
  type: 'paused' | 'resumed';
  step: number;
}

export type FromWorker = BackendReady | EventMessage | DoneMessage | ErrorMessage | WeightsMessage | GateMessage;
