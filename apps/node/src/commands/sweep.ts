import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import {
  PRESETS,
  aggregateSweep,
  expandSweep,
  jobResults,
  parseSweepSpec,
  validateConfig,
} from '@learnability/presets';
import type { PackedRun, SweepSpec } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import { checkRunsFit } from './check-fits.js';
import { stoppedLog } from '../interrupt.js';
import type { Io } from '../io.js';
import { renderSvg, svgToPng } from '../render/plot.js';
import { summaryScore } from '../render/summary-score.js';
import type { PackedRunOutcome, PackedRunTask } from '../sweep/execute-packed-run.js';
import { checkDir, checkFilePath, ensureDir, ensureFileDir, shownPath, writeOutFile } from '../out-dir.js';
import { parseUserJson, readUserFile } from '../user-file.js';
import { MAX_POOL_THREADS, runLocalPoolStoppable } from '../sweep/local-pool.js';
import type { StoppableOutcomes } from '../sweep/local-pool.js';
import { allWasmCores } from '../threads/choose-threads.js';
import { parseRedisUrl, probeRedis, redactedUrl } from '../sweep/redis-connection.js';
import { runOnQueue } from '../sweep/redis-queue.js';
import { shellWord } from '../shell-word.js';
import { packToFit, runFits } from '../sweep/pack-to-fit.js';
import { aggregateSpec, formatAggregate, logLogSlopes } from '../sweep/render-sweep.js';
import { flagHelp, offWasm, parseSchemaFlags, wasmThreadsFlag, workersOnQueue } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';

const FLAGS = {
  workers: {
    type: 'int?',
    default: null,
    min: 1,
    max: MAX_POOL_THREADS,
    doc: "worker threads in local mode (default: the machine's cores)",
  },
  threads: wasmThreadsFlag(
    'wasm threads per run in local mode (default: 1 when several workers share the machine, else all cores)',
  ),
  out: {
    type: 'string',
    arg: 'dir',
    default: 'runs',
    doc: 'records go to <dir>/<sweep name>/<run id>.jsonl',
    nonEmpty: true,
  },
  queue: {
    type: 'string',
    arg: 'url',
    default: '',
    nonEmpty: true,
    doc: 'put the runs on a BullMQ queue in Redis (redis://host:port) instead; start workers anywhere with learnability worker --queue url',
  },
  plot: {
    type: 'string',
    arg: 'file',
    default: '',
    nonEmpty: true,
    doc: 'draw median learned-at-step against the first numeric axis (log–log), .svg or .png',
  },
  'dry-run': {
    type: 'bool',
    default: false,
    doc: 'check the spec and every run config, list the runs (with --json: their configs), train nothing; Redis is not contacted',
  },
} as const satisfies FlagSpecs;

/** With --queue the runs train on the queue's workers, one wasm thread each: --workers and --threads would do nothing. */
function queueRefusals(values: { queue: string }, given: ReadonlySet<string>): string[] {
  return [
    ...workersOnQueue(values, given),
    ...(values.queue !== '' && given.has('threads')
      ? ['--threads: with --queue each worker runs a job on one wasm thread; drop --threads']
      : []),
  ];
}

/**
 * A refusal whose fix names `run`'s flag (`… or use --backend wasm`), said as a sweep's fix: a
 * sweep has no --backend, its runs' backend is the spec's. Rethrows the error, reworded.
 */
function inSpecWords(error: unknown): never {
  if (error instanceof Error)
    error.message = error.message.replace(/\buse --backend (\w+)/g, 'set "backend": "$1" in the spec');
  throw error;
}

/**
 * Flags the spec makes useless, which would otherwise be dropped after the sweep trains: --threads
 * when no run is on wasm (whose thread count it sets), --plot of a spec with no numeric axis to put
 * on x (the seed aside).
 */
function specRefusals(spec: SweepSpec, runs: readonly PackedRun[], values: { threads: number | null; plot: string }) {
  const noneOnWasm = runs.length > 0 && runs.every((r) => offWasm(r.config.backend));
  const numeric = spec.axes.some((a) => a.path !== 'seed' && a.values.every((v) => typeof v === 'number'));
  return [
    ...(values.threads !== null && noneOnWasm
      ? [
          `--threads: sets wasm's thread count, but every run trains on ${[...new Set(runs.map((r) => r.config.backend))].join(' or ')}; drop --threads or set "backend": "wasm" in the spec`,
        ]
      : []),
    ...(values.plot !== '' && !numeric
      ? [
          '--plot: the plot puts median learned-at-step against a numeric axis, and this spec has none besides the seed; drop --plot or add an axis such as "task.n": [20, 30]',
        ]
      : []),
  ];
}

export const SWEEP_HELP = `learnability sweep <spec.json> [options] [--json]

Expands a sweep spec (a base config and axes) into jobs, packs jobs that differ only in seed into
replicated runs, runs them, and prints median learned-at-step, success rate and wall time by axis.
${flagHelp(FLAGS)}
Re-running the same command skips finished runs and resumes unfinished ones from their checkpoints;
Ctrl-C stops each running run at its next evaluation, checkpointed, so that a re-run continues it.
Spec: {"name": "parity-n", "base": {"extends": "sparse-parity", "learners": []},
       "axes": {"task.n": [20, 30, 40], "seed": "0..7"}}`;

export async function sweepCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('sweep', argv, FLAGS, queueRefusals, 1);
  if (parsed.help) return (io.out(SWEEP_HELP), 0);
  const { values } = parsed;
  const file = parsed.positionals[0];
  if (file === undefined) throw new UsageError('sweep: missing <spec.json>; see learnability sweep --help');
  const preset = PRESETS.some((p) => p.name === file)
    ? `"${file}" is a preset: learnability run ${file} trains it, and a spec names it as its base ({"base": "${file}", "axes": {…}})`
    : undefined;
  const text = readUserFile(`sweep: spec file "${file}"`, file, {
    missing:
      preset ??
      'pass a sweep spec .json, like sweeps/sparse-parity-n.json in the repository (learnability sweep --help shows the form)',
    directory: 'pass a .json file',
  });
  const plotExt = values.plot === '' ? null : extname(values.plot).toLowerCase();
  if (plotExt !== null && plotExt !== '.svg' && plotExt !== '.png')
    throw new UsageError(`sweep: --plot must name a .svg or .png file, but got "${values.plot}"`);
  const workers = values.workers ?? Math.min(availableParallelism(), MAX_POOL_THREADS);
  const raw = parseUserJson(`sweep: spec file "${file}"`, text);
  // A run config here failed with every one of its keys unknown.
  if (typeof raw === 'object' && raw !== null && !('axes' in raw) && ('task' in raw || 'extends' in raw))
    throw new UsageError(
      `sweep: "${file}" is a run config, not a sweep spec (it has no "axes"): train it with learnability run ${shellWord(file)}, or make it a spec's base: {"name": "…", "base": <this config>, "axes": {"task.n": [20, 30]}}`,
    );
  const spec = parseSweepSpec(raw, file.replace(/^.*\//, '').replace(/\.json$/, ''));
  // Its records' directory is <out>/<name>: a name past a file name's 255 bytes would fail there, after the dry run.
  if (Buffer.byteLength(spec.name) > 255)
    throw new UsageError(
      `sweep: the spec's name is ${Buffer.byteLength(spec.name)} bytes, past the 255 of a directory name (records go to <out>/<name>); give it a shorter "name"${'name' in (raw as object) ? '' : ' (it came from the file name)'}`,
    );
  const jobs = expandSweep(spec);
  const { runs, split } = await packToFit(jobs, (run) => runFits(run, values.queue !== ''));
  /** A packed run by its first job's label, its seeds in place of the seed (`task.n=20, seeds 0..7`). */
  const labelOf = (run: PackedRun) => {
    const label = (jobs.find((j) => j.id === run.jobIds[0])?.label.replace(/(^| )seed=\S+/, '') ?? run.id).trim();
    const [first, count] = [run.config.run.seed, run.jobIds.length];
    const seeds = count === 1 ? `seed ${first}` : `seeds ${first}..${first + count - 1}`;
    return label === '' ? seeds : `${label}, ${seeds}`;
  };
  const log = (line: string) => (parsed.json ? io.err(line) : io.out(line));
  // What can be checked without training is checked before a dry run answers, and before any run.
  const refused = specRefusals(spec, runs, values);
  if (refused.length > 0) throw new UsageError(`sweep: ${refused.join('; ')}`);
  if (split) {
    const most = Math.max(...split.parts.map((r) => r.jobIds.length));
    log(
      `memory: a packed run of ${split.seeds} seeds would not fit; split into ${split.parts.length} runs of at most ${most} replica${most === 1 ? '' : 's'}`,
    );
  }
  const replicasNote = baseReplicasNote(spec);
  if (replicasNote) log(replicasNote);
  checkDir('sweep: --out', join(values.out, spec.name));
  if (values.plot !== '') checkFilePath('sweep: --plot', values.plot);
  if (values.queue !== '') parseRedisUrl(values.queue, 'sweep');
  await checkRunsFit(
    runs.map((r) => ({ label: labelOf(r), config: r.config })),
    values['dry-run'],
    values.queue !== '',
  ).catch(inSpecWords);
  if (values['dry-run']) {
    log(`dry run: sweep ${spec.name}: ${jobs.length} jobs in ${runs.length} packed run(s); nothing trained`);
    for (const r of runs) log(`  ${labelOf(r)}: ${r.config.run.steps.toLocaleString('en-US')} steps, run ${r.id}`);
    if (parsed.json) io.out(JSON.stringify({ dryRun: true, sweep: spec.name, jobs, runs }));
    return 0;
  }
  ensureDir('sweep: --out', join(values.out, spec.name));
  // The plot's folder too, before anything trains: one it cannot make failed after the whole sweep.
  if (values.plot !== '') ensureFileDir('sweep: --plot', values.plot);
  // Before anything is printed: an unreachable Redis is one line and exit code 1.
  if (values.queue !== '') await probeRedis(values.queue);
  // One wasm thread per run when runs share the machine; all cores for a lone run.
  const threads = values.threads ?? (workers > 1 && !values.queue ? 1 : allWasmCores());
  const tasks: PackedRunTask[] = runs.map((run) => ({
    run,
    recordPath: join(values.out, spec.name, `${run.id}.jsonl`),
    threads,
  }));
  log(
    `sweep ${spec.name}: ${jobs.length} jobs in ${runs.length} packed run(s), ${values.queue ? `queue ${redactedUrl(values.queue)}` : `${Math.min(workers, runs.length)} worker thread(s)`}`,
  );

  let done = 0;
  const steps = new Map<string, number>();
  const totalSteps = runs.reduce((s, r) => s + r.config.run.steps, 0);
  const progress = {
    onEval: (id: string, step: number) => {
      steps.set(id, step);
      const sum = [...steps.values()].reduce((a, b) => a + b, 0);
      io.status(`runs ${done}/${runs.length} done; steps ${sum}/${totalSteps} (runs stop early once learned)`);
    },
    onDone: (id: string, outcome: PackedRunOutcome) => {
      done++;
      const run = runs.find((r) => r.id === id);
      const s = outcome.summary;
      log(
        `[${done}/${runs.length}] ${run ? labelOf(run) : id}: ${outcome.how === 'skipped' ? 'already done' : `${s.status}${outcome.how === 'resumed' ? ' (resumed)' : ''}`}, ${summaryScore(s)}, ${s.wallSeconds.toFixed(1)} s`,
      );
      if (outcome.note) log(`  ${outcome.note}`);
    },
  };
  // On the queue the runs are the workers' to stop: Ctrl-C here only ends the wait.
  const { outcomes, stopped }: StoppableOutcomes = await (values.queue
    ? runOnQueue(tasks, values.queue, progress, (line) => io.err(line)).then((outcomes) => ({ outcomes }))
    : runLocalPoolStoppable(io, 'sweep', tasks, workers, progress)
  ).catch(inSpecWords);
  io.status('');
  if (stopped) {
    stoppedLog(stopped.exitCode, io, log)(stopped.line);
    // A script reading --json gets an object either way: no aggregate over runs that did not end.
    const { ended, runs: total } = stopped;
    if (parsed.json)
      io.out(JSON.stringify({ stopped: true, ended, runs: total, records: tasks.map((t) => t.recordPath) }));
    return stopped.exitCode;
  }
  const results = runs.flatMap((run) => {
    const outcome = outcomes.get(run.id);
    return outcome ? jobResults(run, outcome.summary) : [];
  });
  const aggregate = aggregateSweep(spec, jobs, results);
  // The table first: a plot that fails to write must not take the sweep's results with it.
  const slopes = logLogSlopes(aggregate);
  if (parsed.json) io.out(JSON.stringify({ ...aggregate, slopes, records: tasks.map((t) => t.recordPath) }));
  else {
    io.out(formatAggregate(aggregate));
    for (const s of slopes)
      io.out(
        `log–log slope of median learned-at-step vs ${s.axis} (${s.series}, ${s.points} points): ${s.slope.toFixed(2)}${
          s.unreached.length === 0
            ? ''
            : `; left out: ${s.axis} = ${s.unreached.join(', ')}, where the median was not reached within the steps`
        }`,
      );
  }
  if (values.plot !== '') {
    const specPlot = aggregateSpec(aggregate);
    if ('skipped' in specPlot) log(`plot skipped: ${specPlot.skipped}`);
    else {
      const svg = await renderSvg(specPlot);
      writeOutFile('sweep: --plot', values.plot, plotExt === '.svg' ? svg : await svgToPng(svg));
      log(`wrote ${shownPath(values.plot)}`);
    }
  }
  return 0;
}

/**
 * A note where the base asks for several replicas and no axis varies the seed: every job is one
 * network (expandSweep sets run.replicas to 1), so a cell would train one network where the base
 * trained several.
 */
function baseReplicasNote(spec: SweepSpec): string | null {
  if (spec.axes.some((a) => a.path === 'seed')) return null;
  let replicas: number;
  try {
    replicas = validateConfig(spec.base).run.replicas;
  } catch {
    return null; // a base that needs its axes to be whole: its cells were checked above
  }
  return replicas > 1
    ? `note: the base's run.replicas ${replicas} is 1 per job (a sweep's unit is one network): add a "seed" axis, e.g. "seed": "0..${replicas - 1}", for ${replicas} networks per cell`
    : null;
}
