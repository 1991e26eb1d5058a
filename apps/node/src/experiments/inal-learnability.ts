/**
 * Abbe, Cornacchia, Hązła, Marquis 2022 as data: one training run per (target, n, trainer) on the
 * sweep pool, INAL per (target, n) measured here, and the tables and figures from both.
 */
import { createTarget, degreeProfile, parseTargetSpec, reluParityAlignment, resolveCount } from '@learnability/inal';
import { ConfigError } from '@learnability/core';
import { measureInal, samplesUnread } from '../inal/measure.js';
import { modelChoice } from '../inal/model-config.js';
import type { Io } from '../io.js';
import { fmt } from '../render/table.js';
import { namedExperiment } from './data-experiment.js';
import type { DataExperiment, Flags } from './data-experiment.js';
import { accuracyVsInalSpec, inalVsNSpec } from './inal-learnability/figures.js';
import { resultsTable, slopeTable } from './inal-learnability/report.js';
import type { ExperimentRow } from './inal-learnability/report.js';
import {
  EXACT_MAX_BITS,
  LEARNED,
  MODEL,
  SCALE_FLAGS,
  EVAL_EVERY,
  TRAIN_SET,
  runConfig,
  taskConfig,
  trainResult,
} from './inal-learnability/settings.js';
import type { TrainerId } from './inal-learnability/settings.js';

const NAME = 'inal-learnability';

type F = Flags<typeof SCALE_FLAGS>;
/** A (target, n) row before its runs: what `measure` finds. */
type Measured = Omit<ExperimentRow, 'runs'>[];

const trainersOf = (f: F) => f.trainers as TrainerId[];
const key = (target: string, n: number, trainer: string) => `${target} n=${n} ${trainer}`;

/**
 * Targets that do not parse, and targets whose relevant bits leave [0, n] at some n (parity:3 at
 * n = 2, parity:n-5 at n = 3) named with the sizes they cannot take, as flag errors rather than as each run's `task.k`.
 */
function targetProblems(f: F): string[] {
  return f.targets.flatMap((target) => {
    let count: string;
    try {
      const spec = parseTargetSpec(target);
      // expr and table targets, and coordinate lists, are refused by `taskConfig` with their fix.
      if (!('arity' in spec) || spec.arity === null || !('count' in spec.arity)) return [];
      count = spec.arity.count;
    } catch (e) {
      if (e instanceof ConfigError) return e.issues.map((i) => `--targets: ${i.message}`);
      throw e;
    }
    // Only a number (parity:3) or n−v (parity:n-5) can leave [0, n]; both need n ≥ that number.
    const small = f.n.filter((n) => {
      const k = resolveCount(count, n);
      return k < 0 || k > n;
    });
    const least = count.replace(/^n-/, '');
    return small.length === 0 ? [] : [`--n: ${target} needs n ≥ ${least}, but --n has ${small.join(', ')}`];
  });
}

async function measure(f: F, io: Io): Promise<Measured> {
  const model = modelChoice(MODEL.name, [
    `widths=${JSON.stringify(MODEL.widths)}`,
    `activation=${MODEL.activation}`,
    `bias=${MODEL.bias}`,
  ]);
  const rows: Measured = [];
  for (const target of f.targets) {
    for (const n of f.n) {
      io.status(`${target} n=${n}: INAL…`);
      const [inal] = await measureInal(target, model, {
        ns: [n],
        inits: f.inits,
        samples: f.samples,
        exactMaxBits: EXACT_MAX_BITS,
        seed: f.seed,
        estimator: 'pooled',
      });
      if (!inal) throw new Error('measureInal returned no point');
      const boolean = createTarget(target, { n, seed: f.seed });
      const k = boolean.relevant?.length ?? 0;
      rows.push({
        target,
        n,
        lowDegreeWeight: degreeProfile(boolean).weights.slice(0, 4),
        inal,
        closedForm: parseTargetSpec(target).family === 'parity' ? reluParityAlignment(n, k, 1 / n) : null,
      });
    }
  }
  io.status('');
  return rows;
}

const experiment: DataExperiment<typeof SCALE_FLAGS, Measured> = {
  name: NAME,
  summary: 'INAL vs n for Boolean targets, and whether noisy GD / SGD learn them (Abbe et al. 2022)',
  about: `Abbe, Cornacchia, Hązła, Marquis 2022 (docs/papers.md §3): for each target and n, measures INAL of a
ReLU MLP (width ${MODEL.widths[0]}, N(0, 1/fan-in) weights and biases) and trains that MLP with
full-batch noisy GD and with online SGD; writes INAL vs n (log–log), final accuracy vs INAL, and
markdown tables. Targets with INAL ≥ n^−c should be learned, those with negligible INAL not.`,
  flags: SCALE_FLAGS,
  check: (f, given) => [...targetProblems(f), ...samplesUnread(given, f.n, EXACT_MAX_BITS, String(EXACT_MAX_BITS))],
  readsCheckpoints: false,
  runs: (f) =>
    f.targets.flatMap((target) =>
      f.n.flatMap((n) =>
        trainersOf(f).map((trainer) => ({
          key: key(target, n, trainer),
          config: runConfig(taskConfig(target, n, f.seed), trainer, f, f.seed, f.backend),
        })),
      ),
    ),
  measure,
  report: ({ flags: f, summaries, records, measured, argv, backend, wallSeconds }) => {
    const rows: ExperimentRow[] = measured.map((m) => ({
      ...m,
      runs: trainersOf(f).flatMap((trainer) => {
        const at = key(m.target, m.n, trainer);
        const summary = summaries.get(at);
        const firstEval = records.get(at)?.evals[0]?.step ?? 0;
        return summary ? [trainResult(trainer, m.n, summary, firstEval)] : [];
      }),
    }));
    return {
      tables: `<!-- written by: learnability run ${NAME} ${argv.join(' ')} (${backend}, ${fmt(wallSeconds / 60, 1)} min) -->\n\n### INAL and final test accuracy\n\nLearned = test accuracy ≥ ${LEARNED} at an evaluation (every ${EVAL_EVERY['noisy-gd']} steps for noisy GD, ${EVAL_EVERY.sgd} for SGD; "≤" marks learning by the first one, anywhere up to it); accuracy is the mean of ${f.replicas} replicas.\n\n${resultsTable(rows)}\n\n### Log–log slope of INAL vs n\n\n${slopeTable(rows)}\n`,
      figures: [
        ['inal-vs-n', inalVsNSpec(rows)],
        ['inal-accuracy', accuracyVsInalSpec(rows)],
      ],
      results: {
        scale: {
          ...Object.fromEntries(Object.keys(SCALE_FLAGS).map((k) => [k, f[k as keyof F]])),
          exactMaxBits: EXACT_MAX_BITS,
          trainSet: TRAIN_SET,
        },
        model: MODEL,
        rows,
      },
    };
  },
};

export const inalLearnability = namedExperiment(experiment);
