import type { OutputKind, RunEvent } from '@learnability/core';
import type { RunSink } from '@learnability/experiment';
import type { Io } from '../io.js';
import { fmt, fmtAccuracy } from './table.js';

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
};

/** The run option `key` of a start event's config (undefined where it has none). */
function runOptionOf(config: unknown, key: 'trainSetSize' | 'stopWhenLearned'): unknown {
  const run =
    typeof config === 'object' && config !== null && 'run' in config ? (config as { run: unknown }).run : null;
  return typeof run === 'object' && run !== null ? (run as Record<string, unknown>)[key] : undefined;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** `8s`, `2m05s`: rounded to the second first, so 119.6 s reads 2m00s, not 1m60s. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** What the caller knows beyond the events' own facts. */
export interface ConsoleRendererExtras {
  /** The run's memory estimate in words (`≈ 12 MB (0.8 MB parameters, 4 replicas)`), for the start line. */
  memory?: string;
  /**
   * The task's kind, which says whether an eval line shows accuracy or MSE. Without it, a line with
   * no finite accuracy shows MSE, which misnames a diverged classification run.
   */
  outputKind?: OutputKind;
  /** Milliseconds clock for the ETA (default `performance.now`). */
  now?: () => number;
}

/**
 * Renders run events for a person: one fixed-format line per eval
 * (`step 2000: loss 0.312, train acc 0.91, test acc 0.88, 4.1 ms/step`; means over replicas),
 * a line per learner that learned, and a progress bar with ETA on a terminal.
 */
export function consoleRenderer(io: Io, log: (line: string) => void, extra: ConsoleRendererExtras = {}): RunSink {
  const now = extra.now ?? (() => performance.now());
  let total = 0;
  let startStep = 0;
  // This session's start (ms): the ETA is this session's pace. A resumed run's elapsedSeconds
  // counts every session, so it over-estimated the time left by the earlier sessions' share.
  let sessionStarted = 0;
  let trainSetSize: number | null = null;
  let stopsEarly = true;
  return {
    event(e: RunEvent) {
      switch (e.type) {
        case 'start': {
          total = e.totalSteps;
          startStep = e.startStep;
          sessionStarted = now();
          // null: online, fresh samples.
          const size = runOptionOf(e.config, 'trainSetSize');
          trainSetSize = typeof size === 'number' ? size : null;
          // A regression run has no learned verdict to stop at.
          stopsEarly = runOptionOf(e.config, 'stopWhenLearned') !== false && extra.outputKind !== 'real';
          const what =
            e.paramCount > 0
              ? `${e.replicas} replica(s), ${e.paramCount.toLocaleString('en-US')} parameters each${e.replicas > 1 ? ' (step lines: means over replicas)' : ''}`
              : 'stream learners only';
          log(
            `${e.startStep > 0 ? 'resuming' : 'run'} ${e.runId} on ${e.backend}${e.backendDetail ? ` (${e.backendDetail})` : ''}: ${what}${extra.memory ? `; memory ${extra.memory}` : ''}`,
          );
          if (e.trainStep) log(`training step: ${e.trainStep}`);
          break;
        }
        case 'eval': {
          const acc = mean(e.testAccuracy);
          const parts = [`loss ${fmt(mean(e.loss), 4)}`];
          const scored = extra.outputKind === undefined ? !Number.isNaN(acc) : extra.outputKind !== 'real';
          if (scored) parts.push(`train acc ${fmtAccuracy(mean(e.trainAccuracy))}`, `test acc ${fmtAccuracy(acc)}`);
          else parts.push(`test mse ${fmt(mean(e.testError), 4)}`);
          parts.push(`${e.msPerStep.toFixed(2)} ms/step`);
          log(`step ${e.step}: ${parts.join(', ')}`);
          const done = (e.step - startStep) / Math.max(1, total - startStep);
          const sessionSeconds = (now() - sessionStarted) / 1000;
          const eta = done > 0 ? (sessionSeconds * (1 - done)) / done : Number.NaN;
          io.status(
            `${bar(e.step / Math.max(1, total))} step ${e.step}/${total}  ETA ${duration(eta)}${stopsEarly ? ' (stops early once every replica has learned)' : ''}`,
          );
          break;
        }
        case 'learned': {
          const data =
            trainSetSize === null
              ? `${e.samples.toLocaleString('en-US')} fresh samples`
              : `a training set of ${trainSetSize.toLocaleString('en-US')}`;
          log(
            typeof e.learner === 'number'
              ? `replica ${e.learner} learned at step ${e.step} (${data})`
              : `${e.learner} learned from ${e.samples.toLocaleString('en-US')} samples`,
          );
          break;
        }
        case 'end':
          io.status('');
          break;
      }
    },
  };
}
