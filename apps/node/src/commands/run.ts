import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { memoryLimits, setupBackend } from '@learnability/backends';
import { median } from '@learnability/core';
import type { OutputKind, RunSummary, StreamLearnerSummary } from '@learnability/core';
import { combineSinks, runExperiment, runIdFor } from '@learnability/experiment';
import { checkpointPathFor, fileSink, lockRecord } from '@learnability/experiment/node';
import { KERNELS, checkMemory, describeEstimate } from '@learnability/presets';
import { checkRunFits } from './check-fits.js';
import { checkRunIdLength, uniqueRunId } from './unique-run-id.js';
import { cliName, shellWord } from '../shell-word.js';
import { chooseAutoBackend } from './choose-auto-backend.js';
import { disposeCheckpoint, readResumeCheckpoint } from '../resume-checkpoint.js';
import { pastSteps, resumePlan } from './resume-plan.js';
import { storageFailure } from './storage-failure.js';
import type { ResolvedConfig } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import { stopOnSignal, stoppedLog } from '../interrupt.js';
import type { Io } from '../io.js';
import { checkDir, ensureDir } from '../out-dir.js';
import { EXPERIMENTS } from '../experiments/index.js';
import { buildConfig, loadRawConfig } from '../load-config.js';
import { consoleRenderer } from '../render/run-renderer.js';
import { fmt, fmtAccuracy } from '../render/table.js';
import { threadsForRun } from '../threads/threads-for-run.js';
import { packageVersions } from '../versions.js';
import { flagHelp, parseSchemaFlags, threadsOffWasm, wasmThreadsFlag } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';

/**
 * A flag for a config value: passed on as text, and the config's schema checks it (as it does --set
 * and the lab). Its empty default means "the config's"; an empty value typed is refused.
 */
const configValue = (doc: string) => ({ type: 'string', arg: 'value', default: '', doc, nonEmpty: true }) as const;

const FLAGS = {
  set: {
    type: 'strings',
    arg: 'path=value',
    default: [],
    doc: 'override any config value (repeatable), e.g. --set trainer.lr=0.05; a new part name (--set model.name=rcnn) keeps the options both parts have, and --set \'model={"name":"rcnn"}\' starts from its defaults',
  },
  backend: { ...configValue("auto | cpu | wasm | webgpu (empty: the config's, else auto)"), nonEmpty: false },
  seed: configValue('run.seed: replica r uses seed + r'),
  replicas: configValue('run.replicas: independent networks trained as one batched program'),
  steps: configValue('run.steps: training steps'),
  threads: wasmThreadsFlag(
    'wasm threads (default: the fastest of 1, half (from 4 cores) and all cores, up to 8, by a few timed steps of this run; the start line names it)',
  ),
  out: { type: 'string', arg: 'dir', default: 'runs', doc: 'where records go', nonEmpty: true },
  resume: {
    type: 'string',
    arg: 'record',
    default: '',
    doc: 'continue a run from its record and checkpoint',
    nonEmpty: true,
  },
  json: { type: 'bool', default: false, doc: 'print one JSON summary object on stdout (log lines go to stderr)' },
  'dry-run': {
    type: 'bool',
    default: false,
    doc: 'check the command and the config, say what would run (with --json: the whole config), train nothing',
  },
} as const satisfies FlagSpecs;

export const RUN_HELP = `learnability run <preset | config.json> [options]

Trains the run a preset or config file describes and writes its record to <out>/<id>.jsonl
(one line per eval, flushed as it goes) with a checkpoint beside it. Ctrl-C stops it at its next
evaluation, checkpointed, and prints the --resume command that continues it (exit code 130).

${flagHelp(FLAGS)}

A config file may start from a preset: {"extends": "sparse-parity", "run": {"steps": 5000}}.
List presets with: learnability presets, and a preset's config paths with: learnability presets <preset>

Named experiments (several runs and a report; each takes --help):
${Object.values(EXPERIMENTS)
  .map((e) => `  ${e.name.padEnd(20)} ${e.summary}`)
  .join('\n')}`;

/** Whether `arg` is a flag whose value is the next word (`--out dir`; not --dry-run, --json or --out=dir). */
const takesValue = (arg: string | undefined): boolean =>
  arg !== undefined &&
  /^--[^=]+$/.test(arg) &&
  !['--json', '--help'].includes(arg) &&
  (FLAGS as Record<string, { type: string } | undefined>)[arg.slice(2)]?.type !== 'bool';

export async function runCommand(argv: string[], io: Io): Promise<number> {
  // A named experiment owns its flags; presets and config files come after.
  const experiment = argv[0] === undefined || !Object.hasOwn(EXPERIMENTS, argv[0]) ? undefined : EXPERIMENTS[argv[0]];
  if (experiment) return experiment.run(argv.slice(1), io);
  // A named experiment after a flag was read as a preset it is not: said with the command that works.
  const at = argv.includes('--help')
    ? -1
    : argv.findIndex((a, i) => Object.hasOwn(EXPERIMENTS, a) && !takesValue(argv[i - 1]));
  if (at >= 0) {
    const rest = argv.filter((_, i) => i !== at).map(shellWord);
    throw new UsageError(
      `run: ${argv[at]} is a named experiment, which owns the flags after it; put its name first: learnability run ${argv[at]} ${rest.join(' ')}`,
    );
  }
  const parsed = parseSchemaFlags('run', argv, FLAGS, () => [], 1);
  if (parsed.help) return (io.out(RUN_HELP), 0);
  // A resumed record is this process's from before it is read to the end of the command: a second
  // writer (another resume of it) is refused here, not after reading a record the first is writing.
  const resumed = parsed.values.resume;
  const release = resumed !== '' && existsSync(resumed) && statSync(resumed).isFile() ? lockRecord(resumed) : null;
  try {
    return await runParsed(parsed, io, release !== null);
  } finally {
    release?.();
  }
}

/** `run` once its flags are parsed; `locked`: this process holds the resumed record's lock. */
async function runParsed(
  { values, given: flagsGiven, positionals }: ReturnType<typeof parseSchemaFlags<typeof FLAGS>>,
  io: Io,
  locked: boolean,
): Promise<number> {
  // Config values: '' is not given.
  const given = (v: string) => (v === '' ? undefined : v);
  const [seed, replicas, steps, backendFlag] = [values.seed, values.replicas, values.steps, values.backend].map(given);
  const threadsFlag = values.threads ?? undefined;

  let config: ResolvedConfig;
  // The preset or config file the run started from (null: a sweep's run, resumed).
  let name: string | null;
  /** A fresh run's id before the suffix that keeps it unique (`uniqueRunId`). */
  let freshId: string | undefined;
  let runId: string;
  let recordPath: string;
  // The backend the resumed run's last session ran on.
  let resumedFromBackend: string | undefined;
  // What the resumed record says of its run: its checkpoint must be at one of its evaluations, under its config.
  let evaluatedSteps = new Set<number>();
  let sessionConfigs: unknown[] = [];
  if (values.resume !== '') {
    const plan = resumePlan(values.resume, {
      positional: positionals[0],
      configGiven: values.set.length > 0 || seed !== undefined || replicas !== undefined,
      // Given at all: `--out runs`, the default, still names another place than the record's.
      outGiven: flagsGiven.has('out'),
      steps,
      backend: backendFlag,
    });
    ({ config, name, runId, recordPath, resumedFromBackend, evaluatedSteps, sessionConfigs } = plan);
  } else {
    const source = positionals[0];
    if (source === undefined)
      throw new UsageError(
        'run: missing <preset | config.json>; e.g. learnability run sparse-parity (list them with learnability presets)',
      );
    const loaded = loadRawConfig('run', source, Object.keys(EXPERIMENTS));
    name = loaded.name;
    config = buildConfig(loaded.raw, { set: values.set, backend: backendFlag, seed, replicas, steps });
    freshId = runIdFor(name, config.run.seed);
    checkRunIdLength(freshId, source);
    runId = uniqueRunId(values.out, freshId, false);
    recordPath = join(values.out, `${runId}.jsonl`);
  }

  const log = (line: string) => (values.json ? io.err(line) : io.out(line));
  // What can be checked without training is checked before a dry run answers.
  const threadsUnused = threadsOffWasm({ threads: threadsFlag ?? null, backend: config.backend });
  if (threadsUnused.length > 0) throw new UsageError(`run: ${threadsUnused.join('; ')}`);
  if (values.resume === '') checkDir('run: --out', values.out);
  // A run too big for its backend is refused before the test set, batches or parameters are
  // allocated; on wasm before the thread probe, which would train it; on webgpu by a dry run
  // (a run checks the adapter's limits once it has one).
  const { parts, memory } = await checkRunFits(config, values['dry-run']);
  /** The resumed record's checkpoint, checked as its record's, and not past the steps asked for. */
  const resumeCheckpoint = () => {
    const checkpoint = readResumeCheckpoint(
      recordPath,
      { runId, evaluatedSteps, sessionConfigs },
      { who: 'run: --resume', startAgain: 'start the run again' },
    );
    // At its last step exactly, a resumed run trains nothing and writes its end line (it was stopped just before).
    if (checkpoint.step <= config.run.steps) return checkpoint;
    disposeCheckpoint(checkpoint);
    throw new UsageError(pastSteps(recordPath, checkpoint.step, config));
  };
  if (values['dry-run']) {
    // A resumed run's checkpoint is read and checked as the run would (on cpu: only its checks matter).
    if (values.resume !== '') {
      await setupBackend('cpu');
      disposeCheckpoint(resumeCheckpoint());
    }
    const { steps: total, replicas: count } = config.run;
    const model = parts.model
      ? `${parts.model.name}, ${parts.model.paramCount.toLocaleString('en-US')} parameters`
      : 'no model';
    log(
      `dry run: ${name ?? runId} (${model}; ${config.task.name}) for ${total.toLocaleString('en-US')} steps, ${count} replica(s), backend ${config.backend}; memory ${describeEstimate(memory, count)}; record ${recordPath}; nothing trained`,
    );
    if (values.json) io.out(JSON.stringify({ dryRun: true, preset: name, record: resolvePath(recordPath), config }));
    return 0;
  }
  if (values.resume === '') ensureDir('run: --out', values.out);
  // wasm's thread count is fixed once per process: chosen first (threads-for-run.ts), then used by auto's timing too.
  const wasmThreads = await threadsForRun(config, threadsFlag);
  const threads = wasmThreads.threads !== undefined ? { threads: wasmThreads.threads } : {};
  // auto: WebGPU only where it is measured faster for this run (choose-auto-backend.ts).
  const auto = config.backend === 'auto' ? await chooseAutoBackend(config, { setup: threads }) : undefined;
  if (auto) log(auto.why);
  if (auto && auto.backend !== 'wasm' && threadsFlag !== undefined)
    log(`--threads ${threadsFlag}: unused, since auto chose ${auto.backend} (wasm's thread count)`);
  const backend = await setupBackend(auto?.backend ?? config.backend, { kernels: KERNELS, ...threads });
  checkMemory(memory, await memoryLimits(backend));
  // Checkpoint tensors can only be made once a backend is set up.
  const resumeFrom = values.resume !== '' ? resumeCheckpoint() : undefined;
  if (resumeFrom && resumedFromBackend !== undefined && resumedFromBackend !== backend.name)
    log(
      `resuming on ${backend.name}; its last session ran on ${resumedFromBackend}: from step ${resumeFrom.step} on its numbers are ${backend.name}'s, equal to ${resumedFromBackend}'s to float tolerance, not bit for bit`,
    );

  // A fresh run takes its id now, creating its record (uniqueRunId): another run of the same preset
  // and seed started in the same second may have taken the one chosen above meanwhile.
  if (freshId !== undefined) {
    runId = uniqueRunId(values.out, freshId, true);
    recordPath = join(values.out, `${runId}.jsonl`);
  }
  const recordSink = fileSink(recordPath, resumeFrom ? { resumedAt: resumeFrom.step, locked } : {});
  const interrupt = stopOnSignal(io, 'run', (sig) =>
    io.err(`${sig}: stopping at the next evaluation, checkpointed (${sig} again quits at once)`),
  );
  const summary = await runExperiment(parts, {
    runId,
    config,
    options: config.run,
    sink: combineSinks(
      recordSink,
      consoleRenderer(io, log, {
        memory: describeEstimate(memory, config.run.replicas),
        outputKind: parts.task.outputKind,
      }),
    ),
    versions: packageVersions(),
    // wasm's threads: where auto chose another backend, the record must not claim them.
    ...(wasmThreads.note && backend.name === 'wasm' ? { backendDetail: wasmThreads.note } : {}),
    ...(resumeFrom ? { resume: resumeFrom } : {}),
    signal: interrupt.signal,
  })
    .catch((e: unknown) => {
      // A fresh run that failed before its first event leaves no empty record behind.
      if (freshId !== undefined && existsSync(recordPath) && statSync(recordPath).size === 0) rmSync(recordPath);
      // A disk full or read-only mid-run: said with the folder, what is kept and how to go on.
      throw storageFailure(e, resolvePath(recordPath), existsSync(checkpointPathFor(recordPath))) ?? e;
    })
    .finally(interrupt.dispose);
  const record = resolvePath(recordPath);
  for (const line of verdictLines(summary, config, parts.task.outputKind)) log(line);
  const interrupted = interrupt.exitCode !== null && summary.status === 'stopped';
  // Stopped because stdout was closed: where the run is, and how to go on, can only be said on stderr.
  const where = stoppedLog(interrupt.exitCode, io, log);
  where(`record: ${record}`);
  if (interrupted)
    where(
      parts.model
        ? `continue it with: ${cliName()} run --resume ${shellWord(record)}`
        : 'a run of stream learners alone keeps no checkpoint, so it cannot be continued; run it again',
    );
  if (values.json) {
    io.out(
      JSON.stringify({
        preset: name,
        runId,
        backend: backend.name,
        ...(backend.threads !== undefined ? { threads: backend.threads } : {}),
        status: summary.status,
        steps: summary.steps,
        learnedAtStep: summary.learnedAtStep,
        successRate: summary.successRate,
        testAccuracy: summary.testAccuracy,
        replicas: summary.replicas,
        learners: summary.learners,
        samplesSeen: summary.samplesSeen,
        wallSeconds: summary.wallSeconds,
        record,
        ...(summary.message ? { message: summary.message } : {}),
      }),
    );
  }
  if (summary.status === 'diverged') {
    io.err(`error: ${summary.message ?? 'training diverged'}`);
    return 1;
  }
  // 130 for Ctrl-C, as a shell reports it: the run did not finish, though its record is whole.
  return interrupted ? interrupt.exitCode : 0;
}

/** The closing lines: per-replica outcome, and samples each learner needed side by side. */
function verdictLines(s: RunSummary, config: ResolvedConfig, kind: OutputKind): string[] {
  const lines: string[] = [];
  const n = s.replicas.length;
  // By the task's kind: a classification run has no accuracy yet after 0 steps, or when it diverged.
  if (config.model && kind === 'real') {
    // A real-valued task (regression): no accuracy, so no learned-at-step; the verdict is its MSE.
    const mse = s.replicas.map((r) => fmt(r.testError, 4)).join(', ');
    lines.push(
      `${s.status}: ${s.steps} steps in ${fmt(s.wallSeconds, 1)} s; final test MSE ${mse} (regression: judged by test MSE; learned-at-step and run.learnedThreshold apply to accuracy tasks only)`,
    );
  } else if (config.model) {
    const learned = s.replicas.filter((r) => r.learnedAtStep !== null);
    lines.push(
      `${s.status}: ${learned.length}/${n} replicas reached test accuracy ≥ ${config.run.learnedThreshold} in ${s.steps} steps, ${fmt(s.wallSeconds, 1)} s` +
        (s.testAccuracy !== null
          ? `; final test accuracy ${s.replicas.map((r) => fmtAccuracy(r.testAccuracy)).join(', ')}`
          : ''),
    );
  }
  // Replicas that diverged while others trained on: "3/4 learned, replica 2 diverged at step 1,080 (lr too high?)".
  if (s.status !== 'diverged' && s.message) lines.push(s.message);
  const samples: string[] = [];
  if (config.model) {
    const counts = s.replicas.map((r) => r.learnedAtSamples).filter((v): v is number => v !== null);
    const middle = median(counts);
    const finite = config.run.trainSetSize;
    if (counts.length === 0) samples.push(`${config.model.name} not learned in ${s.steps} steps`);
    else if (finite !== null)
      samples.push(
        `${config.model.name} a training set of ${finite.toLocaleString('en-US')} (median step ${middle / config.run.batchSize} of ${counts.length})`,
      );
    else
      samples.push(
        `${config.model.name} ${middle.toLocaleString('en-US')} (median of ${counts.length}, step ${middle / config.run.batchSize})`,
      );
  }
  for (const l of s.learners) samples.push(learnerVerdict(l));
  if (samples.length > 1 || s.learners.length) lines.push(`samples to learn: ${samples.join(' | ')}`);
  return lines;
}

/** One learner's part of the samples line: where it learned, or why not (same rule as the networks: test accuracy ≥ the target). */
function learnerVerdict(l: StreamLearnerSummary): string {
  const inconsistent = l.counts?.inconsistentSamples;
  const counted = inconsistent === undefined ? '' : `, ${inconsistent.toLocaleString('en-US')} inconsistent samples`;
  if (l.learnedAtSample !== null)
    return `${l.name} ${l.learnedAtSample.toLocaleString('en-US')} (test acc ${fmtAccuracy(l.testAccuracy)}${counted})`;
  return `${l.name} not learned: ${l.reason ?? 'test accuracy below the target'} (test acc ${fmtAccuracy(l.testAccuracy)} after ${l.samplesSeen.toLocaleString('en-US')} samples${counted})`;
}
