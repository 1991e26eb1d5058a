import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { memoryLimits, setupBackend } from '@learnability/backends';
import type { RunEvent, RunSummary } from '@learnability/core';
import { combineSinks, runExperiment } from '@learnability/experiment';
import type { Checkpoint } from '@learnability/experiment';
import { fileSink, lockRecord } from '@learnability/experiment/node';
import { KERNELS, checkMemory, estimateMemory, resolve } from '@learnability/presets';
import type { PackedRun } from '@learnability/presets';
import { disposeCheckpoint, readResumeCheckpoint } from '../resume-checkpoint.js';
import { recordOnDisk } from './record-on-disk.js';
import { packageVersions } from '../versions.js';

/** A packed run to execute and where its record goes. Plain data: it crosses thread and Redis boundaries. */
export interface PackedRunTask {
  run: PackedRun;
  recordPath: string;
  /** wasm threads for this run (1 when several runs share the machine). */
  threads: number;
  /**
   * Wall-clock budget of the run over all its sessions, checked at each evaluation: past it the
   * run stops as if aborted, and is done: a later call reuses it as a finished one (s).
   */
  maxSeconds?: number;
  /** On the queue: the worker sends the run's checkpoint back with its record (for a measurement that reads it). */
  returnCheckpoint?: boolean;
}

export interface PackedRunOutcome {
  summary: RunSummary;
  /** skipped: the record already had its end; resumed: continued from its checkpoint. */
  how: 'ran' | 'resumed' | 'skipped';
  /** Said beside the run's line: a resume on another backend than its last session's (as run --resume says it). */
  note?: string;
}

/**
 * Runs one packed run to completion, or reuses what is on disk (record-on-disk.ts): a record with
 * an `end` line is finished (skipped); a stopped one with a checkpoint resumes from it; one that
 * cannot be what its run wrote is refused; anything else starts afresh.
 * Aborting `signal`, or an evaluation past `task.maxSeconds`, stops the run at that evaluation,
 * checkpointed, with status 'stopped': a later call resumes a run the signal stopped, and reuses
 * one its budget stopped (as a queue does, whose job it completed).
 */
export async function executePackedRun(
  task: PackedRunTask,
  onEvent: (e: RunEvent) => void = () => {},
  signal?: AbortSignal,
): Promise<PackedRunOutcome> {
  const { recordPath } = task;
  // The record is this thread's before it is read, cut or deleted, until the run ends: a second
  // writer (another sweep on this --out, a job handed back while its first attempt trains) is
  // refused here, before it could delete a live run's record (record-lock.ts).
  mkdirSync(dirname(recordPath), { recursive: true });
  const release = lockRecord(recordPath);
  try {
    return await executeLocked(task, onEvent, signal);
  } finally {
    release();
  }
}

async function executeLocked(
  task: PackedRunTask,
  onEvent: (e: RunEvent) => void,
  signal: AbortSignal | undefined,
): Promise<PackedRunOutcome> {
  const { run, recordPath } = task;
  const onDisk = recordOnDisk(task);
  if (onDisk.kind === 'done') return { summary: onDisk.summary, how: 'skipped' };
  const backend = await setupBackend(run.config.backend, { threads: task.threads, kernels: KERNELS });
  // Refused before anything is allocated when the backend cannot hold it (a ConfigError).
  const parts = resolve(run.config);
  checkMemory(estimateMemory(parts), await memoryLimits(backend));
  let resume: Checkpoint | undefined;
  if (onDisk.kind === 'resume') {
    // As `run --resume` checks it: this run's, at one of the record's evaluations, trained under
    // the config of every session on record and the spec's.
    const { record } = onDisk;
    resume = readResumeCheckpoint(
      recordPath,
      {
        runId: run.id,
        evaluatedSteps: new Set(record.evals.map((e) => e.step)),
        sessionConfigs: [...record.starts.map((s) => s.config), run.config],
      },
      { who: 'resume', startAgain: `delete "${recordPath}" and its checkpoint to run it again` },
    );
  } else {
    rmSync(recordPath, { force: true });
  }
  const { maxSeconds } = task;
  const budget = new AbortController();
  // The budget is the run's, over every session (elapsedSeconds counts them all): a run stopped
  // before it (Ctrl-C) resumes with what is left of it.
  const onBudget = (e: RunEvent) => {
    if (maxSeconds !== undefined && e.type === 'eval' && e.elapsedSeconds > maxSeconds) budget.abort();
  };
  // Spent at the checkpoint a kill left it at (before its end line): it resumes only to end there.
  if (maxSeconds !== undefined && (resume?.elapsedSeconds ?? 0) > maxSeconds) budget.abort();
  const stop = maxSeconds === undefined ? signal : signal ? AbortSignal.any([signal, budget.signal]) : budget.signal;
  // The lock is held (above) and the folder exists: making the sink cannot fail and strand `resume`.
  const recordSink = fileSink(recordPath, { locked: true, ...(resume ? { resumedAt: resume.step } : {}) });
  try {
    const summary = await runExperiment(parts, {
      runId: run.id,
      config: run.config,
      options: run.config.run,
      sink: combineSinks(recordSink, { event: onBudget }, { event: onEvent }),
      versions: packageVersions(),
      ...(stop ? { signal: stop } : {}),
      ...(resume ? { resume } : {}),
    });
    if (!resume) return { summary, how: 'ran' };
    const last = onDisk.kind === 'resume' ? onDisk.record.starts.at(-1)?.backend : undefined;
    if (last === undefined || last === backend.name) return { summary, how: 'resumed' };
    const note = `resumed on ${backend.name}; its last session ran on ${last}: from step ${resume.step} on its numbers are ${backend.name}'s, equal to ${last}'s to float tolerance, not bit for bit`;
    return { summary, how: 'resumed', note };
  } catch (error) {
    // A checkpoint the run refused is still ours (runExperiment's `resume`), and this thread may
    // be a pool's, which lives on; one the run took over it has freed already (freeing twice is a no-op).
    if (resume) disposeCheckpoint(resume);
    throw error;
  }
}
