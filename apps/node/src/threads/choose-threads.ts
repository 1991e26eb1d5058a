import { availableParallelism } from 'node:os';
import { median } from '@learnability/core';
import type { ResolvedConfig } from '@learnability/presets';
import { startModuleWorker } from '../worker-thread.js';
import type { ProbeReply, ProbeRequest } from './probe-messages.js';

/** How the wasm thread count was chosen, for the start line and the record. */
export interface ThreadChoice {
  threads: number;
  /** Median ms per training step of each probed count, in probe order; empty when not measured. */
  measured: { threads: number; msPerStep: number; steps: number }[];
  /** One line: "1 thread (measured: 1 → 0.64 ms/step, 2 → 7.95 ms/step)". */
  note: string;
}

/** Probe budget per thread count: enough steps for a stable median, short beside any run. */
export const PROBE_BUDGET_MS = 1500;
/** At least this many timed steps per count (slow steps: the budget alone would time one). */
export const PROBE_MIN_STEPS = 3;
/** At most this many timed steps per count (fast steps reach it before the budget). */
export const PROBE_MAX_STEPS = 60;
/** A count whose timed step is this much slower than the best so far has lost; stop timing it. */
const CUT = 1.5;

const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/** Thread counts worth timing on `cores` logical cores: 1, half (from 4 cores), all. */
export function threadCandidates(cores: number): number[] {
  return [...new Set([1, cores >= 4 ? Math.floor(cores / 2) : 1, cores])].filter((n) => n >= 1).sort((a, b) => a - b);
}

/** Times one count in a fresh thread (its own TF.js and wasm instance). */
export function probeThreads(request: ProbeRequest): Promise<number[]> {
  const worker = startModuleWorker(import.meta.url, 'probe-worker');
  return new Promise<number[]>((resolveProbe, rejectProbe) => {
    worker.once('message', (m: ProbeReply) =>
      m.type === 'done' ? resolveProbe(m.stepMs) : rejectProbe(new Error(m.message)),
    );
    worker.once('error', rejectProbe);
    worker.postMessage(request);
  }).finally(() => void worker.terminate());
}

/**
 * Chooses wasm's thread count for `config` by timing its own training step (model, trainer,
 * batch, replicas) at each candidate count, one count at a time, and taking the fastest. On a
 * 2-core machine shared with other work, 2 threads can be many times slower than 1 (threads
 * wait on each other); on an idle one they are faster. A few seconds, once per process.
 */
export async function chooseWasmThreads(config: ResolvedConfig, cores = availableParallelism()): Promise<ThreadChoice> {
  const candidates = threadCandidates(cores);
  if (candidates.length === 1) return { threads: 1, measured: [], note: `1 thread (${cores} core)` };
  const measured: ThreadChoice['measured'] = [];
  for (const threads of candidates) {
    const best = measured.length ? Math.min(...measured.map((m) => m.msPerStep)) : null;
    const stepMs = await probeThreads({
      config,
      threads,
      budgetMs: PROBE_BUDGET_MS,
      minSteps: PROBE_MIN_STEPS,
      maxSteps: PROBE_MAX_STEPS,
      stopAboveMs: best === null ? null : best * CUT,
    });
    measured.push({ threads, msPerStep: median(stepMs), steps: stepMs.length });
  }
  const winner = measured.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  const times = measured.map((m) => `${m.threads} → ${m.msPerStep.toPrecision(3)} ms/step`).join(', ');
  return {
    threads: winner.threads,
    measured,
    note: `${plural(winner.threads)}, the fastest of ${times} on this run's step`,
  };
}
