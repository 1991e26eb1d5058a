import { availableParallelism } from 'node:os';
import { WASM_MAX_THREADS } from '@learnability/backends';
import { median } from '@learnability/core';
import type { ResolvedConfig } from '@learnability/presets';
import { startModuleWorker } from '../worker-thread.js';
import type { ProbeReply, ProbeRequest, ProbeTiming } from './probe-messages.js';

/** How the wasm thread count was chosen, for the start line and the record. */
export interface ThreadChoice {
  threads: number;
  /** Median ms per training step of each probed count, in probe order; empty when not measured. */
  measured: { threads: number; msPerStep: number; steps: number }[];
  /** One line: "1 thread, the fastest of 1 → 0.64 ms/step, 2 → 7.95 ms/step on this run's step". */
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

/** Thread counts worth timing on `cores` logical cores: 1, half (from 4 cores), all, at most wasm's pool of 8. */
export function threadCandidates(cores: number): number[] {
  const most = allWasmCores(cores);
  return [...new Set([1, most >= 4 ? Math.floor(most / 2) : 1, most])].filter((n) => n >= 1).sort((a, b) => a - b);
}

/** "All cores" as a wasm thread count: the machine's (or `cores`), up to tfjs-wasm's pool (8). */
export const allWasmCores = (cores = availableParallelism()): number => Math.min(WASM_MAX_THREADS, cores);

/** A thread set up to time one count (its own TF.js and wasm instance). */
interface Probe {
  /** Resolves once the thread has set up wasm with its count and is idle. */
  ready: Promise<void>;
  /** Times the run's step; call once `ready` has resolved. */
  time(timing: Omit<ProbeTiming, 'type'>): Promise<number[]>;
  /** Ends the thread. */
  stop(): void;
}

/** Starts a thread that sets up wasm with `threads` threads for `config`'s step. */
function startProbe(config: ResolvedConfig, threads: number): Probe {
  const worker = startModuleWorker(import.meta.url, 'probe-worker');
  // The one request awaiting its reply, and why the thread ended once it has (a later request then fails at once).
  let pending: { resolve(reply: ProbeReply): void; reject(error: Error): void } | undefined;
  let ended: Error | undefined;
  const fail = (error: Error) => {
    ended ??= error;
    pending?.reject(error);
    pending = undefined;
  };
  worker
    .on('message', (m: ProbeReply) => {
      const waiting = pending;
      pending = undefined;
      if (m.type === 'error') waiting?.reject(new Error(m.message));
      else waiting?.resolve(m);
    })
    .on('error', fail)
    .on('exit', (code) => fail(new Error(`the probe thread exited (code ${code})`)));
  const ask = (request: ProbeRequest) =>
    new Promise<ProbeReply>((resolve, reject) => {
      if (ended) return reject(ended);
      pending = { resolve, reject };
      worker.postMessage(request);
    });
  return {
    ready: ask({ type: 'set-up', config, threads }).then(() => undefined),
    time: async (timing) => {
      const reply = await ask({ type: 'time', ...timing });
      if (reply.type !== 'done') throw new Error(`the probe thread answered "${reply.type}" to a timing`);
      return reply.stepMs;
    },
    stop: () => void worker.terminate(),
  };
}

/** Times one count in a fresh thread, set up first; the thread ends after. */
export async function probeThreads(
  config: ResolvedConfig,
  threads: number,
  timing: Omit<ProbeTiming, 'type'>,
): Promise<number[]> {
  const probe = startProbe(config, threads);
  try {
    await probe.ready;
    return await probe.time(timing);
  } finally {
    probe.stop();
  }
}

/**
 * Chooses wasm's thread count for `config` by timing its own training step (model, trainer,
 * batch, replicas) at each candidate count and taking the fastest. On a 2-core machine shared
 * with other work, 2 threads can be many times slower than 1 (threads wait on each other); on an
 * idle one they are faster. The probes' threads set up side by side, while this process does
 * `meanwhile` (its own set-up that needs no thread count); then they time one at a time, each
 * ending once timed, so no timing shares the machine with a start-up. A few seconds, once per process.
 */
export async function chooseWasmThreads(
  config: ResolvedConfig,
  cores = availableParallelism(),
  meanwhile?: Promise<unknown>,
): Promise<ThreadChoice> {
  const candidates = threadCandidates(cores);
  if (candidates.length === 1) return { threads: 1, measured: [], note: `1 thread (${cores} core)` };
  const probes = candidates.map((threads) => ({ threads, probe: startProbe(config, threads) }));
  const measured: ThreadChoice['measured'] = [];
  try {
    await Promise.all([...probes.map((p) => p.probe.ready), meanwhile]);
    for (const { threads, probe } of probes) {
      const best = measured.length ? Math.min(...measured.map((m) => m.msPerStep)) : null;
      const stepMs = await probe.time({
        budgetMs: PROBE_BUDGET_MS,
        minSteps: PROBE_MIN_STEPS,
        maxSteps: PROBE_MAX_STEPS,
        stopAboveMs: best === null ? null : best * CUT,
      });
      probe.stop();
      measured.push({ threads, msPerStep: median(stepMs), steps: stepMs.length });
    }
  } finally {
    for (const { probe } of probes) probe.stop();
  }
  const winner = measured.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  const times = measured.map((m) => `${m.threads} → ${m.msPerStep.toPrecision(3)} ms/step`).join(', ');
  return {
    threads: winner.threads,
    measured,
    note: `${plural(winner.threads)}, the fastest of ${times} on this run's step`,
  };
}
