/**
 * The checkpoint beside a record, read to resume it (`run --resume`, and a sweep re-run that
 * finds a stopped run), with the checks that it is that record's: the same run, taken at one of
 * the record's evaluations, and trained under the config the record says. A checkpoint always
 * follows its evaluation's line, so a step the record has no evaluation of means lines were lost;
 * a config that differs means the record was edited. Either way resuming would continue another
 * run than the record describes, so it is refused in one line.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from '@learnability/experiment';
import { checkpointPathFor, readCheckpointFor } from '@learnability/experiment/node';
import { UsageError } from './cli-error.js';

/** What the record says about the run its checkpoint must belong to. */
export interface RecordedRun {
  runId: string;
  /** The steps the record has evaluations of. */
  evaluatedSteps: ReadonlySet<number>;
  /** The config of each session (start line) of the record. */
  sessionConfigs: readonly unknown[];
}

/** How the caller names itself and the way to start over, for the one-line refusal. */
export interface ResumeWords {
  /** e.g. `run: --resume`. */
  who: string;
  /** e.g. `start the run again`. */
  startAgain: string;
}

/** What a resumed session may change: its length and where it runs. */
const MAY_CHANGE = new Set(['run.steps', 'backend']);

/**
 * The leaf paths (`trainer.lr`) where two configs differ, leaving out `MAY_CHANGE` and fields
 * only one of them has (a field a later version added, with its default).
 */
export function configDifferences(a: unknown, b: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (MAY_CHANGE.has(path)) return [];
  if (!isObject(a) || !isObject(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '(the config)'];
  return Object.keys(a)
    .filter((key) => key in b)
    .flatMap((key) => configDifferences(a[key], b[key], path ? `${path}.${key}` : key));
}

/** The checkpoint beside `recordPath` once a backend is set up (it makes tensors); a UsageError when it is not this record's. */
export function readResumeCheckpoint(recordPath: string, recorded: RecordedRun, words: ResumeWords): Checkpoint {
  const path = checkpointPathFor(recordPath);
  let checkpoint: Checkpoint;
  try {
    checkpoint = readCheckpointFor(recordPath);
  } catch (e) {
    throw new UsageError(
      `${words.who}: the checkpoint "${path}" cannot be read (${e instanceof Error ? e.message : String(e)}); put the run's own checkpoint back, or ${words.startAgain}`,
    );
  }
  // Checkpoints written before they kept their config have none to compare.
  const trainedUnder = checkpoint.config;
  const differ =
    trainedUnder === undefined
      ? []
      : [...new Set(recorded.sessionConfigs.flatMap((c) => configDifferences(c, trainedUnder)))];
  const problem =
    checkpoint.runId !== recorded.runId
      ? `is run ${checkpoint.runId}'s, not ${recorded.runId}'s; put the run's own checkpoint back`
      : !recorded.evaluatedSteps.has(checkpoint.step)
        ? `is at step ${checkpoint.step}, which the record has no evaluation of (lines lost or edited?); ${words.startAgain}`
        : differ.length
          ? `was trained under another config than the record's at ${differ.join(', ')} (record edited?); put the record back as the run wrote it, or ${words.startAgain}`
          : null;
  if (problem === null) return checkpoint;
  disposeCheckpoint(checkpoint);
  throw new UsageError(`${words.who}: the checkpoint "${path}" ${problem}`);
}

/** Frees a checkpoint's tensors: one read to resume that is refused before the run takes it over. */
export function disposeCheckpoint(checkpoint: Checkpoint): void {
  tf.dispose([
    Object.values(checkpoint.params),
    Object.values(checkpoint.slots),
    Object.values(checkpoint.initialParams),
  ]);
}
