/**
 * What `run --resume <record>` continues: the record's run with its latest session's config
 * (the --steps and --backend an earlier resume gave), and the checks that refuse a resume before
 * anything is made — no checkpoint beside the record (and why), flags a resumed run does not
 * take, a run already completed; its checkpoint is read once a backend is set up
 * (resume-checkpoint.ts).
 */
import { existsSync } from 'node:fs';
import { checkpointPathFor } from '@learnability/experiment/node';
import type { ResolvedConfig } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import { buildConfig } from '../load-config.js';
import { readRunRecord } from '../read-record.js';

export interface ResumePlan {
  config: ResolvedConfig;
  /** The preset or config file the run started from (null: a sweep's run, named by its hash). */
  name: string | null;
  runId: string;
  recordPath: string;
  /** The backend the record's last session ran on. */
  resumedFromBackend: string;
  /** The steps the record has evaluations of (its checkpoint must be at one of them). */
  evaluatedSteps: Set<number>;
  /** The config of each session's start line (its checkpoint must have trained under them). */
  sessionConfigs: unknown[];
}

/** What else the command line gave beside --resume. */
export interface ResumeFlags {
  /** A preset or config file named as well. */
  positional: string | undefined;
  /** --set, --seed or --replicas: a resumed run keeps its own config. */
  configGiven: boolean;
  outGiven: boolean;
  steps: string | undefined;
  backend: string | undefined;
}

/** Why a record has no checkpoint beside it, and what to do instead. */
function missingCheckpointWhy(record: ReturnType<typeof readRunRecord>): string {
  const ended = record.end?.summary;
  if (record.starts[0]?.paramCount === 0)
    return 'a run with no network (stream learners only) keeps no checkpoint; start it again';
  if (ended?.status === 'diverged' && record.evals.length <= 1)
    return `the run diverged at its first evaluation (step ${ended.steps}), before any checkpoint; start it again with a lower learning rate`;
  if (ended?.status === 'completed' && record.evals.length === 0)
    return 'the run completed without an evaluation (0 steps), so there is nothing to resume; start it again with --steps N';
  if (record.evals.length === 0) return 'the run stopped before its first evaluation, so start it again instead';
  // The checkpoint is written just after each evaluation's line: a run killed in between has one
  // evaluation and never had a checkpoint (as the sweep reads it: execute-packed-run.ts).
  if (record.evals.length === 1 && record.end === null)
    return `the run stopped after its first evaluation (step ${record.evals[0]?.step}) and before its first checkpoint, or the checkpoint was moved: put it back, or start the run again`;
  return 'the record has evaluations, so the checkpoint was moved or deleted (a record downloaded from the web lab has none): put it back, or start the run again';
}

/**
 * What is wrong with a record's evaluation steps, or null: a run writes them in increasing order, at
 * most `evalEvery` apart (a session that ended between multiples adds one step in between), and a
 * resume cuts the lines past its checkpoint. A repeated or missing line was an edit, which a resume
 * carried into the whole run's history without a word.
 */
export function evaluationsEdited(steps: readonly number[], evalEvery: number): string | null {
  for (let i = 0; i < steps.length; i++) {
    const [before, at] = [i === 0 ? 0 : (steps[i - 1] as number), steps[i] as number];
    if (at <= before) return `has an evaluation of step ${at} after one of step ${before} (lines repeated or edited?)`;
    if (at - before > evalEvery)
      return `has no evaluation between steps ${before} and ${at}, though the run evaluates every ${evalEvery} (lines lost or edited?)`;
  }
  return null;
}

/** Why a record checkpointed (or, read from the record, last evaluated) at `step` cannot resume for `config.run.steps` steps. */
export const pastSteps = (recordPath: string, step: number, config: ResolvedConfig, at = 'checkpointed') =>
  `run: ${recordPath} is ${at} at step ${step}, past --steps ${config.run.steps}; pass --steps N of at least ${step}`;

/** The run `recordPath` describes, ready to continue; a UsageError (one line) when it cannot be. */
export function resumePlan(recordPath: string, flags: ResumeFlags): ResumePlan {
  // The file first: a missing record is the problem to name, whatever else the line says.
  const record = readRunRecord('run', '--resume', recordPath);
  if (!existsSync(checkpointPathFor(recordPath)))
    throw new UsageError(
      `run: --resume "${recordPath}" has no checkpoint "${checkpointPathFor(recordPath)}" beside it; ${missingCheckpointWhy(record)}`,
    );
  if (flags.positional !== undefined)
    throw new UsageError(
      `run: --resume continues the run its record describes, ${record.starts[0]?.runId}; drop "${flags.positional}" (to start a new run, leave out --resume)`,
    );
  if (flags.configGiven)
    throw new UsageError(
      'run: a resumed run keeps its own config; with --resume only --steps, --backend, --threads, --dry-run and --json are allowed',
    );
  if (flags.outGiven)
    throw new UsageError(`run: --out does not apply with --resume: the run continues in its own record, ${recordPath}`);
  // The latest session's config: it holds the --steps and --backend an earlier resume gave.
  const start = record.starts.at(-1);
  if (!start) throw new UsageError(`run: ${recordPath} has no start line`);
  if (record.end?.summary.status === 'completed' && flags.steps === undefined)
    throw new UsageError(`run: ${recordPath} already completed; pass --steps N to train it further`);
  const stored = start.config;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
    throw new UsageError(`run: ${recordPath} has no config on its start line`);
  const config = buildConfig({ ...stored }, { set: [], backend: flags.backend, steps: flags.steps });
  // Checked here, from the record, so that a dry run says it too and nothing is timed first.
  const ended = record.end?.summary;
  if (ended?.status === 'completed' && config.run.steps <= ended.steps)
    throw new UsageError(
      `run: ${recordPath} already completed ${ended.steps} steps; pass --steps N above ${ended.steps} to train it further`,
    );
  const lines = evaluationsEdited(
    record.evals.map((e) => e.step),
    config.run.evalEvery,
  );
  if (lines !== null)
    throw new UsageError(
      `run: ${recordPath} ${lines}; put the record back as the run wrote it, or start the run again`,
    );
  const lastEval = record.evals.at(-1)?.step;
  if (lastEval !== undefined && lastEval > config.run.steps)
    throw new UsageError(pastSteps(recordPath, lastEval, config, 'last evaluated'));
  return {
    config,
    // `run`'s ids are <name>-<stamp>-s<seed>; a sweep's run is named by its config's hash, from no preset.
    name: /^(.+)-\d{8}T\d{6}-s\d+(-\d+)?$/.exec(start.runId)?.[1] ?? null,
    runId: start.runId,
    recordPath,
    resumedFromBackend: start.backend,
    evaluatedSteps: new Set(record.evals.map((e) => e.step)),
    // With the config this session trains under: a key deleted from the record (which
    // configDifferences passes, as one a later version added) comes back as its default there.
    sessionConfigs: [...record.starts.map((s) => s.config), config],
  };
}
