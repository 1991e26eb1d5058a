import { join, resolve as resolvePath } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { memoryLimits, setupBackend } from '@learnability/backends';
import type { MemoryLimits, Params, Task } from '@learnability/core';
import { combineSinks, runExperiment, runIdFor } from '@learnability/experiment';
import { fileSink, readCheckpointFor } from '@learnability/experiment/node';
import type { InContextTask } from '@learnability/in-context';
import { blockParamCount, isLoopedTransformer } from '@learnability/looped-transformer';
import type { LoopedTransformerModel } from '@learnability/looped-transformer';
import { KERNELS, checkMemory, describeEstimate, estimateMemory, resolve } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { intFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { buildConfig, loadRawConfig } from '../load-config.js';
import { consoleRenderer } from '../render/run-renderer.js';
import { fmt, formatTable } from '../render/table.js';
import { readRunRecord } from '../read-record.js';
import { packageVersions } from '../versions.js';
import type { NamedExperiment } from './index.js';
import { OUTPUT_FLAGS, OUTPUT_HELP, figuresDir, writeOutputs } from './outputs.js';
import { baselineCurves, curve, predictions, predictionsByLoop } from './looped-vs-standard/evaluate.js';
import type { Prompts } from './looped-vs-standard/evaluate.js';
import { setsFor } from './looped-vs-standard/per-model-sets.js';
import { threadsForRun } from '../threads/threads-for-run.js';
import { errorVsExamplesSpec, errorVsLoopsSpec, LOG_FLOOR } from './looped-vs-standard/figures.js';
import { blockFormulaLine, comparisonRows, comparisonTable } from './looped-vs-standard/report.js';

const NAME = 'looped-vs-standard';
const PRESETS = { looped: 'looped-linear-regression-small', standard: 'standard-linear-regression-small' } as const;
/** Evaluation prompts come from their own seed, apart from the loop's test set. */
const EVAL_SEED = 20_231_005;

const HELP = `learnability run ${NAME} [options]

Trains the presets ${PRESETS.looped} (1 block looped b times) and ${PRESETS.standard}
(L blocks, no loop) on the same in-context linear regression task, then draws error vs in-context
examples against least squares, averaging and 3-NN, and the looped model's error vs loop
iterations past the trained b (Yang et al. 2023's fixed-point claim).

  --steps N          training steps of each model (default: the presets')
  --backend b        cpu | wasm | webgpu (default wasm)
  --threads N        wasm threads (default: 1 or all cores, whichever a few timed steps of the
                     looped model find faster)
  --seed s           training seed
  --eval-prompts N   prompts for the curves (default 1000)
  --max-loops N      loop iterations in the sweep (default 4·b)
  --set path=value   override both configs (repeatable), e.g. --set run.batchSize=32; prefix
                     the path with looped. or standard. to override one model alone, e.g.
                     --set looped.model.loops=12 --set standard.model.layers=12
  --out dir          run records and checkpoints; figures and JSON results in <out>/${NAME}
                     (default runs)
${OUTPUT_HELP}
  --from a,b         skip training: evaluate the records a (looped) and b (standard) and their checkpoints
  --json             print the results object on stdout`;

interface Trained {
  config: ResolvedConfig;
  model: LoopedTransformerModel;
  task: InContextTask;
  params: Params;
  record: string;
  wallSeconds: number;
  /** Process CPU seconds (user + system) of the training, when it ran here; null from a record. */
  cpuSeconds: number | null;
  steps: number;
}

function isInContextTask(task: Task): task is InContextTask {
  return 'errorScale' in task && 'points' in task && 'dims' in task;
}

/** Trains one preset (or reads its record) and loads its final parameters from the checkpoint. */
async function trainOrLoad(
  kind: keyof typeof PRESETS,
  config: ResolvedConfig,
  recordFrom: string | undefined,
  outDir: string,
  io: Io,
  log: (l: string) => void,
  limits: MemoryLimits,
): Promise<Trained> {
  const parts = resolve(config);
  const { model, task } = parts;
  if (!model || !isLoopedTransformer(model) || !isInContextTask(task))
    throw new UsageError(`${NAME}: preset ${PRESETS[kind]} must pair a looped-transformer with an in-context task`);
  let record = recordFrom;
  let cpuSeconds: number | null = null;
  if (record === undefined) {
    const runId = runIdFor(PRESETS[kind], config.run.seed);
    record = join(outDir, `${runId}.jsonl`);
    const memory = estimateMemory(parts);
    checkMemory(memory, limits);
    log(`training ${kind}: ${PRESETS[kind]}, ${model.paramCount.toLocaleString('en-US')} parameters`);
    // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
    const cpu0 = process.cpuUsage();
    await runExperiment(parts, {
      runId,
      config,
      options: config.run,
      sink: combineSinks(
        fileSink(record),
        consoleRenderer(io, log, { memory: describeEstimate(memory, config.run.replicas) }),
      ),
      versions: packageVersions(),
    });
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  }
  const end = readRunRecord('run looped-vs-standard', '--from', record).end;
  if (!end) throw new UsageError(`${NAME}: ${record} has no end line; the run did not finish`);
  const ckpt = readCheckpointFor(record);
  tf.dispose([Object.values(ckpt.slots), Object.values(ckpt.initialParams)]);
  return {
    config,
    model,
    task,
    params: ckpt.params,
    record: resolvePath(record),
    wallSeconds: end.summary.wallSeconds,
    cpuSeconds,
    steps: end.summary.steps,
  };
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(`run ${NAME}`, argv, {
    steps: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    seed: { type: 'string' },
    'eval-prompts': { type: 'string' },
    'max-loops': { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'runs' },
    ...OUTPUT_FLAGS,
    from: { type: 'string' },
  });
  if (values.help) return (io.out(HELP), 0);
  const command = `run ${NAME}`;
  const steps = intFlag(command, 'steps', values.steps, 1);
  const threads = intFlag(command, 'threads', values.threads, 1);
  const seed = intFlag(command, 'seed', values.seed, 0);
  const evalPrompts = intFlag(command, 'eval-prompts', values['eval-prompts'], 1) ?? 1000;
  const from = values.from?.split(',');
  if (from && from.length !== 2)
    throw new UsageError(
      `${command}: --from takes two records, looped then standard, e.g. --from runs/a.jsonl,runs/b.jsonl`,
    );
  const log = (line: string) => (values.json ? io.err(line) : io.out(line));
  const kinds = Object.keys(PRESETS) as (keyof typeof PRESETS)[];
  const configOf = (kind: keyof typeof PRESETS) =>
    buildConfig(loadRawConfig(PRESETS[kind]).raw, {
      set: setsFor(kind, values.set, kinds),
      backend: values.backend,
      seed,
      steps,
    });

  const wasmThreads = from ? { threads, note: undefined } : await threadsForRun(configOf('looped'), threads);
  if (wasmThreads.note) log(`wasm: ${wasmThreads.note}`);
  const limits = await memoryLimits(
    await setupBackend(configOf('looped').backend, {
      kernels: KERNELS,
      ...(wasmThreads.threads !== undefined ? { threads: wasmThreads.threads } : {}),
    }),
  );
  const looped = await trainOrLoad('looped', configOf('looped'), from?.[0], values.out, io, log, limits);
  const standard = await trainOrLoad('standard', configOf('standard'), from?.[1], values.out, io, log, limits);
  const { task } = looped;
  const b = looped.model.config.loops;
  const maxLoops = intFlag(command, 'max-loops', values['max-loops'], 1) ?? 4 * b;

  // One set of evaluation prompts for every learner.
  const evalSet = task.testSet(evalPrompts, EVAL_SEED);
  tf.dispose([evalSet.x, evalSet.y]);
  const prompts: Prompts = {
    x: evalSet.host?.x ?? new Float32Array(),
    y: evalSet.host?.y ?? new Float32Array(),
    count: evalPrompts,
  };
  const byLoop = await predictionsByLoop(looped.model, looped.params, task, prompts, maxLoops);
  const curves: Record<string, number[]> = {
    [`looped (1 block × ${b} loops)`]: curve(task, prompts, byLoop[b - 1] as Float32Array),
    [`standard (${standard.model.config.layers} layers)`]: curve(
      task,
      prompts,
      await predictions(standard.model, standard.params, task, prompts),
    ),
    ...baselineCurves(task, prompts),
  };
  const [loopedCurve, standardCurve, lsCurve] = Object.values(curves) as [number[], number[], number[]];
  const ks = [...new Set([Math.round(task.dims / 2), task.dims, task.points - 1])].filter(
    (k) => k >= 0 && k < task.points,
  );
  const loopCurves = byLoop.map((p) => curve(task, prompts, p));
  const byK: Record<string, number[]> = Object.fromEntries(
    ks.map((k) => [`k = ${k}`, loopCurves.map((c) => c[k] as number)]),
  );
  tf.dispose([Object.values(looped.params), Object.values(standard.params)]);

  // Figures and the JSON results.
  const figuresAt = figuresDir(values, join(values.out, NAME));
  const yTitle = `squared error / ${task.errorScale} (floored at ${LOG_FLOOR})`;
  const scale = `d=${task.dims}, ${task.points} points, D=${looped.model.config.embedSize}`;
  const perBlock = blockParamCount(looped.model.config.embedSize, looped.model.config.mlpRatio);
  const rows = comparisonRows(task.dims, task.points, {
    looped: loopedCurve,
    standard: standardCurve,
    leastSquares: lsCurve,
  });
  const params = {
    looped: looped.model.paramCount,
    standard: standard.model.paramCount,
    perBlock,
    loopedBlocks: looped.model.config.layers * perBlock,
    standardBlocks: standard.model.config.layers * perBlock,
  };
  const results = {
    experiment: NAME,
    backend: tf.getBackend(),
    threads: wasmThreads.threads ?? null,
    task: task.describe(),
    evalPrompts,
    models: { looped: looped.model.describe(), standard: standard.model.describe() },
    trainers: { looped: looped.config.trainer, standard: standard.config.trainer },
    run: { looped: looped.config.run, standard: standard.config.run },
    params,
    training: {
      looped: {
        record: looped.record,
        steps: looped.steps,
        wallSeconds: looped.wallSeconds,
        cpuSeconds: looped.cpuSeconds,
      },
      standard: {
        record: standard.record,
        steps: standard.steps,
        wallSeconds: standard.wallSeconds,
        cpuSeconds: standard.cpuSeconds,
      },
    },
    errorByExamples: curves,
    errorByLoops: { trainedLoops: b, byK },
    comparison: rows,
    versions: packageVersions(),
  };
  const jsonPath = join(figuresAt, `${NAME}.json`);
  const { figures } = await writeOutputs({
    figuresAt,
    figures: [
      [`${NAME}-error-vs-examples`, errorVsExamplesSpec(curves, `In-context linear regression (${scale})`, yTitle)],
      [
        `${NAME}-error-vs-loops`,
        errorVsLoopsSpec(byK, b, `Looped transformer past its trained b = ${b} loops (${scale})`, yTitle),
      ],
    ],
    results: () => results,
    resultsPath: jsonPath,
    indent: 2,
  });

  if (values.json) {
    io.out(JSON.stringify(results));
    return 0;
  }
  log(
    `parameters: looped ${params.looped.toLocaleString('en-US')} (1 block: ${blockFormulaLine(looped.model.config.embedSize, perBlock)}), standard ${params.standard.toLocaleString('en-US')} (${standard.model.config.layers} blocks: ${params.standardBlocks.toLocaleString('en-US')}); ratio ${fmt(params.looped / params.standard, 3)}`,
  );
  const cpuNote = (t: Trained) => (t.cpuSeconds === null ? '' : ` (${fmt(t.cpuSeconds, 1)} s CPU)`);
  log(
    `training: looped ${looped.steps} steps in ${fmt(looped.wallSeconds, 1)} s${cpuNote(looped)}, standard ${standard.steps} steps in ${fmt(standard.wallSeconds, 1)} s${cpuNote(standard)} (${tf.getBackend()}${wasmThreads.threads ? `, ${wasmThreads.threads} thread(s)` : ''}; wall time on a shared machine is noisy)`,
  );
  log(
    formatTable(
      ['k', ...Object.keys(curves)],
      Array.from({ length: task.points }, (_, k) => [k, ...Object.values(curves).map((c) => fmt(c[k], 4))]),
    ),
  );
  log(comparisonTable(rows, task.dims, standard.model.config.layers));
  const last = task.points - 1;
  log(
    `looped error at k=${last} after t loops: ${[1, b, 2 * b, maxLoops]
      .filter((t) => t <= maxLoops)
      .map((t) => `t=${t}: ${fmt(loopCurves[t - 1]?.[last], 4)}`)
      .join(', ')}`,
  );
  log(`wrote ${[...figures, jsonPath].join(', ')}`);
  return 0;
}

export const loopedVsStandard: NamedExperiment = {
  name: NAME,
  summary:
    'looped transformer vs an L-layer one on in-context linear regression, against least squares (Yang et al. 2023)',
  help: HELP,
  run,
};
