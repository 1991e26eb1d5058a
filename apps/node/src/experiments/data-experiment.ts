/**
 * A named experiment as data: its flags (a schema), the list of training runs it needs (raw run
 * configs, each with a key), a measurement in this process once the runs are done (which may read
 * their records and checkpoints), and a pure report over both. The runs go through the sweep's
 * local worker pool (`--workers N`) or its Redis queue (`--queue url`: a worker sends each record
 * back, and the checkpoint too where the measurement reads it), one record (and checkpoint) per
 * run under <out>/records; a re-run skips finished records and resumes stopped ones, as `sweep` does,
 * so repeating a command only redoes the measurement and the outputs.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { setupBackend } from '@learnability/backends';
import { ConfigError } from '@learnability/core';
import type { ConfigIssue, RunSummary } from '@learnability/core';
import type { RunRecord } from '@learnability/experiment';
import { readRecordFile } from '@learnability/experiment/node';
import { KERNELS, applyOverrides, getPreset, stableHash, validateConfig } from '@learnability/presets';
import type { PackedRun, ResolvedConfig } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import { checkRunsFit, issuesOfRuns } from '../commands/check-fits.js';
import { chooseAutoBackend } from '../commands/choose-auto-backend.js';
import type { AutoChoice } from '../commands/choose-auto-backend.js';
import { stoppedLog } from '../interrupt.js';
import type { Io } from '../io.js';
import { checkDir, checkFilePath, ensureDir, ensureFileDir, shownPath, writeOutFile } from '../out-dir.js';
import { writeFigure } from '../render/plot.js';
import { summaryScore } from '../render/summary-score.js';
import { fmt } from '../render/table.js';
import { shellWord } from '../shell-word.js';
import { packageVersions } from '../versions.js';
import type { PackedRunTask } from '../sweep/execute-packed-run.js';
import { MAX_POOL_THREADS, runLocalPoolStoppable } from '../sweep/local-pool.js';
import type { PoolProgress, StoppableOutcomes } from '../sweep/local-pool.js';
import { parseRedisUrl, probeRedis, redactedUrl } from '../sweep/redis-connection.js';
import { runOnQueue } from '../sweep/redis-queue.js';
import { allWasmCores } from '../threads/choose-threads.js';
import { threadsForRun } from '../threads/threads-for-run.js';
import { flagHelp, parseSchemaFlags, threadsOffWasm, wasmThreadsFlag, workersOnQueue } from '../schema-flags.js';
import type { FlagSpecs, FlagValues } from '../schema-flags.js';
import type { NamedExperiment } from './index.js';

/** Flags every data experiment takes, after its own (which may restate one with another default). */
export const COMMON_FLAGS = {
  seed: { type: 'int', default: 0, min: 0, max: 2 ** 31, doc: 'seed of targets, inits, data and networks' },
  backend: {
    type: 'enum',
    values: ['auto', 'cpu', 'wasm', 'webgpu'],
    default: 'wasm',
    doc: 'backend of every run and of the measurement (auto: chosen here for the first run, as learnability run chooses)',
  },
  workers: {
    type: 'int',
    default: 1,
    min: 1,
    max: MAX_POOL_THREADS,
    doc: 'worker threads the runs share (the sweep pool)',
  },
  queue: {
    type: 'string',
    arg: 'url',
    default: '',
    nonEmpty: true,
    doc: 'train the runs on a BullMQ queue in Redis (redis://host:port) instead, taken by learnability worker --queue url on any machine; the measurement and report run here',
  },
  threads: wasmThreadsFlag(
    "wasm threads of each run and of the measurement here (default: 1 with several workers, else measured as run does; with --queue the measurement's alone: a queue worker gives each run one)",
  ),
  out: {
    type: 'string',
    arg: 'dir',
    default: '',
    nonEmpty: true,
    doc: 'run records and checkpoints, results JSON, tables and figures (left out: runs/<experiment>)',
  },
  docs: {
    type: 'bool',
    default: false,
    doc: 'write figures, results and tables into docs/figures and docs/reproductions',
  },
  figures: {
    type: 'string',
    arg: 'dir',
    default: '',
    nonEmpty: true,
    doc: 'figures and results JSON (left out: --out, or docs/figures with --docs)',
  },
  table: {
    type: 'string',
    arg: 'file',
    default: '',
    nonEmpty: true,
    doc: 'text tables (left out: <out>/<experiment>-table.md, or docs/reproductions/… with --docs)',
  },
  'dry-run': {
    type: 'bool',
    default: false,
    doc: 'check the flags and every run config, list the runs (with --json: their configs), train nothing',
  },
} as const satisfies FlagSpecs;

export type Flags<F extends FlagSpecs> = FlagValues<F & typeof COMMON_FLAGS>;

/** One training run: a key the report looks it up by, and its raw run config (validated here). */
export interface RunPlan {
  key: string;
  config: Record<string, unknown>;
  /**
   * Wall-clock budget over all the run's sessions, checked at each evaluation; past it the run
   * stops (status `stopped`) and is done: a repeat reuses it (s).
   */
  maxSeconds?: number;
}

/** A run as `measure` sees it once the pool is done: its validated config and its record's path (checkpoint beside it). */
export interface PlannedRun {
  config: ResolvedConfig;
  recordPath: string;
}

/** A figure: its file name without extension (written as .svg and .png) and its Vega-Lite spec. */
export type Figure = readonly [base: string, spec: TopLevelSpec];

/**
 * What a report gives: text tables, figures, and the experiment's own results. The results JSON
 * holds them after what every experiment records: its name, the command, backend, wasm threads,
 * seed, wall time, figure paths and package versions.
 */
export interface Report {
  tables: string;
  figures: Figure[];
  results: object;
}

export interface ReportInput<F extends FlagSpecs, M> {
  flags: Flags<F>;
  /** Each run's summary and its whole record, by its key. */
  summaries: ReadonlyMap<string, RunSummary>;
  records: ReadonlyMap<string, RunRecord>;
  measured: M;
  /** The command line after the name, the backend used, wasm threads per run, and the experiment's wall time (s). */
  argv: readonly string[];
  backend: string;
  threads: number;
  wallSeconds: number;
}

export interface DataExperiment<F extends FlagSpecs, M> {
  name: string;
  summary: string;
  /** The help text's paragraph above the flags. */
  about: string;
  flags: F;
  /**
   * What is wrong across flags (`--sizes: every size must be ≥ k`), once each flag is valid;
   * `given`: the flags on the command line (a flag given that no chosen run reads is refused).
   */
  check?(flags: Flags<F>, given: ReadonlySet<string>): string[];
  /** The training runs, in the order they are queued. */
  runs(flags: Flags<F>): RunPlan[];
  /** Whether `measure` reads the runs' checkpoints: on the queue, workers then send them back with the records. */
  readsCheckpoints: boolean;
  /**
   * What is wrong with the validated runs for this experiment (`key: message`), or with a flag
   * against them (`--max-loops: …`), checked before any trains.
   */
  checkRuns?(runs: ReadonlyMap<string, ResolvedConfig>, flags: Flags<F>): string[];
  /** Work done in this process (on `--backend`) after the runs: baselines, or evaluating their checkpoints. */
  measure(flags: Flags<F>, io: Io, runs: ReadonlyMap<string, PlannedRun>): Promise<M>;
  report(input: ReportInput<F, M>): Report;
}

/** A preset's raw config with `--set`-style overrides applied (`['run.steps=20']`). */
export const presetConfig = (name: string, sets: readonly string[]): Record<string, unknown> =>
  applyOverrides(structuredClone(getPreset(name).config), [...sets]);

/**
 * Each plan with its config validated; every problem of every run in one ConfigError, each path
 * under the keys of the runs it is in (`looped: trainer.lr: …`, `looped | standard: run.batchSize:
 * …`), since a --set may reach one run of several.
 */
function validatedPlans(plans: RunPlan[]): (Omit<RunPlan, 'config'> & { config: ResolvedConfig })[] {
  const byRun: [string, ConfigIssue[]][] = [];
  const valid = plans.flatMap((p) => {
    try {
      return [{ ...p, config: validateConfig(p.config) }];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      byRun.push([p.key, e.issues]);
      return [];
    }
  });
  if (byRun.length > 0) throw new ConfigError(issuesOfRuns(byRun));
  return valid;
}

/** Where the outputs go: figures and the results JSON, and the tables, with the flag that chose each (for errors). */
function outputPaths(command: string, name: string, flags: FlagValues<typeof COMMON_FLAGS>, out: string) {
  const from = (flag: 'figures' | 'table') =>
    `${command}: ${flags[flag] ? `--${flag}` : flags.docs ? '--docs' : '--out'}`;
  const figuresAt = flags.figures || (flags.docs ? 'docs/figures' : out);
  const tablePath = flags.table || (flags.docs ? `docs/reproductions/${name}-table.md` : join(out, `${name}-table.md`));
  return { figuresAt, figuresFlag: from('figures'), tablePath, tableFlag: from('table') };
}

/**
 * Writes the figures, then the results JSON beside them (`common` first, then the figure paths and
 * `versions`), then the tables; returns the figure paths and results.
 */
async function writeOutputs(
  at: ReturnType<typeof outputPaths>,
  report: Report,
  common: object,
  versions: Record<string, string>,
  resultsPath: string,
) {
  const figures: string[] = [];
  for (const [base, spec] of report.figures) figures.push(...(await writeFigure(at.figuresAt, base, spec)));
  const results = { ...common, figures, versions, ...report.results };
  writeOutFile(at.figuresFlag, resultsPath, `${JSON.stringify(results, null, 1)}\n`);
  writeOutFile(at.tableFlag, at.tablePath, report.tables);
  return { figures, results };
}

/**
 * Wasm threads of every run: `--threads`; 1 beside other workers; alone, the count measured fastest
 * for the first run, as `learnability run` measures it (threads-for-run.ts; all cores off wasm).
 * On the queue the runs train elsewhere (a worker gives each one thread) and only the measurement
 * runs here, on all cores. `note`: how a measured count was chosen.
 */
async function runThreads(
  flags: FlagValues<typeof COMMON_FLAGS>,
  first: ResolvedConfig | undefined,
): Promise<{ threads: number; note?: string }> {
  if (flags.threads !== null) return { threads: flags.threads };
  if (flags.queue !== '') return { threads: allWasmCores() };
  if (flags.workers > 1) return { threads: 1 };
  const choice = first ? await threadsForRun(first, undefined) : { threads: undefined, note: undefined };
  return { threads: choice.threads ?? allWasmCores(), ...(choice.note ? { note: choice.note } : {}) };
}

/**
 * `--backend auto`: one backend for every run and the measurement, chosen here for the first run
 * as `learnability run` chooses (choose-auto-backend.ts), so that all of an experiment's numbers
 * come from one backend; wasm when there is no run to time. (Refused with --queue, whose workers'
 * machines this cannot time: `commonChecks`.)
 */
async function autoBackend(
  flag: string,
  first: ResolvedConfig | undefined,
  threads: number,
): Promise<AutoChoice | undefined> {
  if (flag !== 'auto') return undefined;
  if (first === undefined) return { backend: 'wasm', why: 'auto chose wasm: no run to time' };
  return chooseAutoBackend(first, { setup: { threads } });
}

/** What is wrong across the common flags (`given`: those on the command line). */
function commonChecks(flags: FlagValues<typeof COMMON_FLAGS>, given: ReadonlySet<string>): string[] {
  return [
    ...(flags.backend === 'auto' && flags.queue !== ''
      ? [
          "--backend auto: times this machine's backends, but with --queue the runs train on the workers' machines; name their backend (--backend wasm or webgpu)",
        ]
      : []),
    ...workersOnQueue(flags, given),
    ...threadsOffWasm(flags, given),
    ...(flags.docs && given.has('figures') && given.has('table')
      ? [
          '--docs: --figures and --table both say where the outputs go, so it would write nothing into docs/; drop --docs, or one of them',
        ]
      : []),
  ];
}

/** The pool's tasks, by plan key: each run's id, config (auto's choice applied), record path and budget. */
function runTasks(
  name: string,
  plans: ReturnType<typeof validatedPlans>,
  out: string,
  chosen: AutoChoice | undefined,
  threads: number,
  returnCheckpoint: boolean,
): Map<string, PackedRunTask> {
  const tasks = new Map<string, PackedRunTask>();
  for (const plan of plans) {
    const { key, maxSeconds } = plan;
    // The id is the plan's, "auto" and all: a repeat finds its runs whichever backend auto chose
    // this time (a stopped run resumes there, as run --resume --backend allows).
    const id = `${name}-${stableHash({ key, config: plan.config, maxSeconds })}`;
    const config = chosen ? { ...plan.config, backend: chosen.backend } : plan.config;
    const run: PackedRun = { id, config, jobIds: [key] };
    const recordPath = join(out, 'records', `${run.id}.jsonl`);
    const budget = maxSeconds === undefined ? {} : { maxSeconds };
    tasks.set(key, { run, recordPath, threads, ...budget, returnCheckpoint });
  }
  return tasks;
}

/**
 * Trains the tasks on the local pool (`--workers`) or the queue, saying each run's outcome as it
 * ends; on the queue each run's record comes back to its path here, as the local pool writes it.
 */
async function trainTasks(
  io: Io,
  command: string,
  flags: FlagValues<typeof COMMON_FLAGS>,
  tasks: ReadonlyMap<string, PackedRunTask>,
  log: (line: string) => void,
): Promise<StoppableOutcomes> {
  let done = 0;
  const keyOf = new Map([...tasks].map(([key, t]) => [t.run.id, key]));
  const progress: PoolProgress = {
    onEval: (id, step, total) => io.status(`runs ${done}/${tasks.size} done; ${keyOf.get(id)} step ${step}/${total}`),
    onDone: (id, { summary: s, how, note }) => {
      done++;
      io.status('');
      log(
        `[${done}/${tasks.size}] ${keyOf.get(id)}: ${how === 'skipped' ? 'already done' : `${s.status}${how === 'resumed' ? ' (resumed)' : ''}`}, ${summaryScore(s)}, ${fmt(s.wallSeconds, 1)} s`,
      );
      if (note) log(`  ${note}`);
    },
  };
  const outcomes: StoppableOutcomes =
    flags.queue === ''
      ? await runLocalPoolStoppable(io, command, [...tasks.values()], flags.workers, progress)
      : { outcomes: await runOnQueue([...tasks.values()], flags.queue, progress, (line) => io.err(line)) };
  io.status('');
  return outcomes;
}

/** Each finished run's summary and whole record, by plan key. */
function readOutcomes(tasks: ReadonlyMap<string, PackedRunTask>, outcomes: StoppableOutcomes['outcomes']) {
  const summaries = new Map<string, RunSummary>();
  const records = new Map<string, RunRecord>();
  for (const [key, t] of tasks) {
    const outcome = outcomes.get(t.run.id);
    if (!outcome) continue;
    summaries.set(key, outcome.summary);
    records.set(key, readRecordFile(t.recordPath));
  }
  return { summaries, records };
}

/** A data experiment as a `learnability run <name>` entry. */
export function namedExperiment<F extends FlagSpecs, M>(def: DataExperiment<F, M>): NamedExperiment {
  // An experiment may restate a common flag with its own default (rcnn-vs-elimination: --threads 1).
  const common = Object.fromEntries(Object.entries(COMMON_FLAGS).filter(([name]) => !(name in def.flags)));
  const specs = { ...def.flags, ...common } as F & typeof COMMON_FLAGS;
  const json = { json: { type: 'bool', default: false, doc: 'print the results object on stdout' } } as const;
  const help = `learnability run ${def.name} [options]\n\n${def.about}\n\n${flagHelp({ ...specs, ...json })}`;
  const run = async (argv: string[], io: Io): Promise<number> => {
    const command = `run ${def.name}`;
    const parsed = parseSchemaFlags(command, argv, specs, (f, given) => [
      ...commonChecks(f, given),
      ...(def.check?.(f as Flags<F>, given) ?? []),
    ]);
    if (parsed.help) return (io.out(help), 0);
    const flags = parsed.values as Flags<F>;
    const log = (line: string) => (parsed.json ? io.err(line) : io.out(line));
    const out = flags.out || `runs/${def.name}`;
    const plans = validatedPlans(def.runs(flags));
    const unfit = def.checkRuns?.(new Map(plans.map((p) => [p.key, p.config])), flags) ?? [];
    if (unfit.length > 0) throw new UsageError(`${command}: ${unfit.join('; ')}`);
    // What can be checked without training is checked before a dry run answers, and before any run.
    const at = outputPaths(command, def.name, flags, out);
    checkDir(`${command}: --out`, out);
    checkDir(at.figuresFlag, at.figuresAt);
    checkFilePath(at.tableFlag, at.tablePath);
    if (flags.queue !== '') parseRedisUrl(flags.queue, command);
    // --backend auto is chosen below, by timing: until then its plans are checked as auto.
    // On the queue the runs train on the workers' machines: only wasm's fixed heap is checked here.
    await checkRunsFit(
      plans.map((p) => ({ label: p.key, config: p.config })),
      flags['dry-run'],
      flags.queue !== '',
    );
    if (flags['dry-run']) {
      log(`dry run: ${plans.length} runs, then the measurement and the report; nothing trained`);
      for (const p of plans)
        log(`  ${p.key}: ${p.config.run.steps.toLocaleString('en-US')} steps, ${p.config.backend}`);
      if (parsed.json) io.out(JSON.stringify({ dryRun: true, experiment: def.name, runs: plans }));
      return 0;
    }
    // The versions (and git commit) the runs start from: read now, before this command rewrites any tracked output.
    const versions = packageVersions();
    // Every output directory is made before anything trains.
    ensureDir(`${command}: --out`, out);
    ensureDir(at.figuresFlag, at.figuresAt);
    ensureFileDir(at.tableFlag, at.tablePath);
    // Before any timing or training: an unreachable Redis is one line and exit code 1.
    if (flags.queue !== '') await probeRedis(flags.queue);
    const { threads, note } = await runThreads(flags, plans[0]?.config);
    const chosen = await autoBackend(flags.backend, plans[0]?.config, threads);
    if (chosen) log(chosen.why);
    // Said where the runs train on wasm: auto, which measured the threads, may have chosen WebGPU.
    if (note && (chosen?.backend ?? flags.backend) === 'wasm') log(`wasm threads: ${note}`);
    const tasks = runTasks(def.name, plans, out, chosen, threads, def.readsCheckpoints);
    const started = performance.now();
    // The measurement here runs with the runs' wasm threads.
    const backend = await setupBackend(chosen?.backend ?? flags.backend, { kernels: KERNELS, threads });
    const { outcomes, stopped } = await trainTasks(io, command, flags, tasks, log);
    // Stopped by Ctrl-C: no measurement or report over runs that did not end.
    if (stopped) {
      stoppedLog(stopped.exitCode, io, log)(stopped.line);
      const { ended, runs } = stopped;
      if (parsed.json) io.out(JSON.stringify({ experiment: def.name, stopped: true, ended, runs }));
      return stopped.exitCode;
    }
    const { summaries, records } = readOutcomes(tasks, outcomes);
    const planned = new Map([...tasks].map(([key, t]) => [key, { config: t.run.config, recordPath: t.recordPath }]));
    const measured = await def.measure(flags, io, planned);
    const wallSeconds = (performance.now() - started) / 1000;
    const input = { flags, summaries, records, measured, argv, backend: backend.name, threads, wallSeconds };
    const report = def.report(input);
    const resultsPath = join(at.figuresAt, `${def.name}.json`);
    const common = {
      experiment: def.name,
      // Each word quoted as a shell needs it (`--full-sizes ''`), so the line pastes back whole.
      command: ['learnability', 'run', def.name, ...argv].map(shellWord).join(' '),
      backend: backend.name,
      threads: backend.name === 'wasm' ? threads : null,
      seed: flags.seed,
      wallSeconds,
    };
    const { figures, results } = await writeOutputs(at, report, common, versions, resultsPath);
    log(`\n${report.tables}`);
    log(
      `${tasks.size} runs on ${flags.queue === '' ? `${Math.min(flags.workers, tasks.size)} worker(s)` : `queue ${redactedUrl(flags.queue)}`}, ${fmt(wallSeconds / 60, 1)} min on ${backend.name} (shared machine: timings are noisy); figures: ${figures.map(shownPath).join(', ')}; table: ${shownPath(at.tablePath)}; results: ${shownPath(resultsPath)}`,
    );
    if (parsed.json) io.out(JSON.stringify(results));
    return 0;
  };
  return { name: def.name, summary: def.summary, help, run };
}
