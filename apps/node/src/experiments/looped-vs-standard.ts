/**
 * Yang, Lee, Nowak, Papailiopoulos 2023 as data: the looped and the standard preset are two runs on
 * the sweep pool; their checkpoints are then evaluated here on one set of fresh prompts (error vs
 * in-context examples against the classical learners, and the looped model's error vs loops past b).
 */
import { resolve as resolvePath } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@learnability/core';
import type { Task } from '@learnability/core';
import { readCheckpointFor } from '@learnability/experiment/node';
import {
  FUNCTION_FAMILIES,
  createAveraging,
  createLeastSquares,
  createNearestNeighbours,
  learnerErrorByExamples,
  modelErrorByExamples,
} from '@learnability/in-context';
import type { InContextTask } from '@learnability/in-context';
import { isLoopedTransformer } from '@learnability/looped-transformer';
import { resolve } from '@learnability/presets';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { setsPath } from '../load-config.js';
import { namedExperiment, presetConfig } from './data-experiment.js';
import type { DataExperiment, Flags, PlannedRun } from './data-experiment.js';
import type { FlagSpecs } from '../schema-flags.js';
import { report } from './looped-vs-standard/report.js';
import type { Evaluation, ModelFacts } from './looped-vs-standard/report.js';

const NAME = 'looped-vs-standard';
const PRESETS = { looped: 'looped-linear-regression-small', standard: 'standard-linear-regression-small' } as const;
type Kind = keyof typeof PRESETS;
const KINDS = Object.keys(PRESETS) as Kind[];
/** Evaluation prompts come from their own seed, apart from the loop's test set. */
const EVAL_SEED = 20_231_005;

const FLAGS = {
  steps: { type: 'int?', default: null, min: 1, doc: "training steps of each model (default: the presets' 4,000)" },
  'eval-prompts': { type: 'int', default: 1000, min: 1, doc: 'fresh prompts the curves are measured on' },
  'max-loops': {
    type: 'int?',
    default: null,
    min: 1,
    doc: "loop iterations in the loop sweep, at least the looped model's b (default 4·b)",
  },
  set: {
    type: 'strings',
    arg: 'path=value',
    default: [],
    doc: 'override both configs, e.g. run.batchSize=32 (repeatable); looped.… or standard.… reaches one; backend and run.seed come from --backend and --seed',
  },
} as const satisfies FlagSpecs;

type F = Flags<typeof FLAGS>;

const isInContextTask = (task: Task): task is InContextTask =>
  'errorScale' in task && 'points' in task && 'dims' in task;

/**
 * `--set` overrides of one model: a path that starts with a model's name (`looped.model.loops=12`)
 * reaches that model alone, without the prefix; any other path (`run.batchSize=32`) reaches both.
 * The prefixed ones come last, so that one model's own value wins over one for both, whatever
 * their order on the command line.
 */
export function setsFor(kind: Kind, sets: readonly string[]): string[] {
  const ownerOf = (set: string) => KINDS.find((k) => set.startsWith(`${k}.`));
  return [
    ...sets.filter((set) => ownerOf(set) === undefined),
    ...sets.filter((set) => ownerOf(set) === kind).map((set) => set.slice(kind.length + 1)),
  ];
}

/**
 * `make()`, with a bad `--set` said as it was typed: `setsFor` strips a model's prefix, so an
 * error about `--set bogus` came from `--set looped.bogus`; an unknown first key also names the
 * prefixes.
 */
function withPrefixedPaths<T>(kind: Kind, sets: readonly string[], make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const typed = (path: string) => {
      const bare = path.replace(/^--set /, '');
      const own = !sets.some((s) => s.startsWith(bare)) && sets.some((s) => s.startsWith(`${kind}.${bare}`));
      return own ? `--set ${kind}.${bare}` : path;
    };
    const prefixes = KINDS.map((k) => `${k}.…`).join(', ');
    throw new ConfigError(
      e.issues.map((issue) =>
        issue.path.startsWith('--set ')
          ? {
              path: typed(issue.path),
              message: issue.message.replace(/; known: task, /, `; known: ${prefixes}, task, `),
            }
          : issue,
      ),
    );
  }
}

/**
 * `--set`s that a flag of this experiment would override without a word (`--set backend="cpu"`
 * beside the default `--backend wasm`): `backend` and `run.seed` always, `run.steps` with `--steps`.
 */
export function setsBesideFlags(f: Pick<F, 'set' | 'steps'>): string[] {
  const owned = [
    ['backend', 'backend'],
    ['seed', 'run.seed'],
    ...(f.steps === null ? [] : [['steps', 'run.steps']]),
  ] as const;
  return f.set.flatMap((set) => {
    const bare = KINDS.reduce((s, kind) => (s.startsWith(`${kind}.`) ? s.slice(kind.length + 1) : s), set);
    const hit = owned.find(([, path]) => setsPath(bare, path));
    return hit
      ? [`--set ${set}: --${hit[0]} sets ${hit[1]} for both runs and would override it; give --${hit[0]}`]
      : [];
  });
}

/** A run's model, task and final parameters (its checkpoint's; owned by the caller), and what the report keeps of it. */
function load(kind: Kind, run: PlannedRun | undefined) {
  if (!run) throw new Error(`${NAME}: no ${kind} run`);
  const { model, task } = resolve(run.config);
  if (!model || !isLoopedTransformer(model) || !isInContextTask(task))
    throw new UsageError(`${NAME}: preset ${PRESETS[kind]} must pair a looped-transformer with an in-context task`);
  const ckpt = readCheckpointFor(run.recordPath);
  tf.dispose([Object.values(ckpt.slots), Object.values(ckpt.initialParams)]);
  const { trainer, run: options } = run.config;
  const facts: ModelFacts = {
    describe: model.describe(),
    config: model.config,
    paramCount: model.paramCount,
    record: resolvePath(run.recordPath),
    trainer,
    run: options,
  };
  return { model, task, params: ckpt.params, facts };
}

/**
 * Both models' curves on one set of fresh prompts, the classical learners' on the same prompts, and
 * the looped model's curve after each loop.
 */
async function measure(f: F, io: Io, runs: ReadonlyMap<string, PlannedRun>): Promise<Evaluation> {
  const looped = load('looped', runs.get('looped'));
  const standard = load('standard', runs.get('standard'));
  const { task } = looped;
  const b = looped.model.config.loops;
  const count = f['eval-prompts'];
  io.status(`evaluating on ${count} prompts…`);
  const evalSet = task.testSet(count, EVAL_SEED);
  tf.dispose([evalSet.x, evalSet.y]);
  const prompts = { x: evalSet.host?.x ?? new Float32Array(), y: evalSet.host?.y ?? new Float32Array() };
  const curves = async (predict: (x: tf.Tensor4D) => tf.Tensor | tf.Tensor[]) =>
    (await modelErrorByExamples(predict, prompts, task.points, task.dims, task.errorScale)).map((c) => Array.from(c));
  const maxLoops = f['max-loops'] ?? 4 * b;
  let loopCurves: number[][];
  let standardCurve: number[] | undefined;
  try {
    loopCurves = await curves((x) => looped.model.predictionsByLoop(looped.params, x, maxLoops));
    [standardCurve] = await curves((x) => standard.model.apply(standard.params, x));
  } finally {
    tf.dispose([Object.values(looped.params), Object.values(standard.params)]);
  }
  io.status('');
  const baselines = [createLeastSquares(), createAveraging(), createNearestNeighbours(3)].map((learner) => [
    learner.name,
    Array.from(learnerErrorByExamples(learner, prompts, task.points, task.dims, task.errorScale)),
  ]);
  return {
    task: { describe: task.describe(), dims: task.dims, points: task.points, errorScale: task.errorScale },
    evalPrompts: count,
    models: { looped: looped.facts, standard: standard.facts },
    curves: {
      [`looped (1 block × ${b} loops)`]: loopCurves[b - 1] as number[],
      [`standard (${standard.model.config.layers} layers)`]: standardCurve as number[],
      ...Object.fromEntries(baselines),
    },
    loopCurves,
  };
}

const experiment: DataExperiment<typeof FLAGS, Evaluation> = {
  name: NAME,
  summary:
    'looped transformer vs an L-layer one on in-context linear regression, against least squares (Yang et al. 2023)',
  about: `Trains the presets ${PRESETS.looped} (1 block looped b times) and
${PRESETS.standard} (L blocks, no loop) on the same in-context linear regression
task (two runs: --workers 2 trains both at once), then draws error vs in-context examples against
least squares, averaging and 3-NN, and the looped model's error vs loop iterations past the
trained b (Yang et al. 2023's fixed-point claim). Repeating a command reuses its finished runs
under --out and only evaluates again.`,
  flags: FLAGS,
  check: setsBesideFlags,
  readsCheckpoints: true,
  runs: (f) =>
    KINDS.map((kind) => ({
      key: kind,
      config: withPrefixedPaths(kind, f.set, () =>
        presetConfig(PRESETS[kind], [
          ...setsFor(kind, f.set),
          `backend="${f.backend}"`,
          `run.seed=${f.seed}`,
          ...(f.steps === null ? [] : [`run.steps=${f.steps}`]),
        ]),
      ),
    })),
  checkRuns: (runs, f) => {
    const misfits = [...runs].flatMap(([kind, c]) =>
      c.model?.name === 'looped-transformer' && (FUNCTION_FAMILIES as readonly string[]).includes(c.task.name)
        ? []
        : [`${kind}: needs a looped-transformer on in-context regression, but got ${c.model?.name} on ${c.task.name}`],
    );
    // Before training, not after it: the loop sweep starts at the trained b.
    const b = (runs.get('looped')?.model as { loops?: number } | undefined)?.loops;
    const maxLoops = f['max-loops'];
    if (misfits.length === 0 && b !== undefined && maxLoops !== null && maxLoops < b)
      misfits.push(`--max-loops: must be ≥ the trained loops b = ${b}, but got ${maxLoops}`);
    return misfits;
  },
  measure,
  report: (input) => report(NAME, input),
};

export const loopedVsStandard = namedExperiment(experiment);
