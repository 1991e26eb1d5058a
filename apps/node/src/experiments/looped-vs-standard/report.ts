/**
 * The looped-vs-standard report, pure over the runs' summaries and the evaluation of their
 * checkpoints: the parameter and training lines, error by in-context examples, the side-by-side
 * table with the paper, the loop sweep, both figures and the results object.
 */
import { blockParamCount } from '@learnability/looped-transformer';
import type { LoopedTransformerConfig } from '@learnability/looped-transformer';
import { fmt, formatTable } from '../../render/table.js';
import type { Report, ReportInput } from '../data-experiment.js';
import type { FlagSpecs } from '../../schema-flags.js';
import { LOG_FLOOR, errorVsExamplesSpec, errorVsLoopsSpec } from './figures.js';

/** What the evaluation of both checkpoints gives the report: plain data. */
export interface Evaluation {
  task: { describe: Record<string, unknown>; dims: number; points: number; errorScale: number };
  evalPrompts: number;
  models: Record<'looped' | 'standard', ModelFacts>;
  /** Error / scale by in-context examples k = 0..P−1 per learner: looped, standard, then the baselines. */
  curves: Record<string, number[]>;
  /** The looped model's error curve after each loop iteration t = 1..max-loops. */
  loopCurves: number[][];
}

export interface ModelFacts {
  describe: Record<string, unknown>;
  config: Required<Pick<LoopedTransformerConfig, 'embedSize' | 'mlpRatio' | 'layers' | 'loops'>>;
  paramCount: number;
  /** The run's absolute record path, trainer and run config. */
  record: string;
  trainer: unknown;
  run: unknown;
}

/** Yang et al. 2023, linear regression d = 20: error/d after k examples (docs/papers.md §5). */
export const PAPER_LINEAR_REGRESSION = {
  dims: 20,
  rows: [
    { k: 10, standard: 0.519, looped: 0.519, leastSquares: 0.515 as number | null },
    { k: 20, standard: 0.02, looped: 0.024, leastSquares: 0 as number | null },
    { k: 40, standard: 0.00048, looped: 0.00078, leastSquares: null as number | null },
  ],
};

/** One row of the side-by-side table: the same k/d here and in the paper. */
export interface ComparisonRow {
  ratio: number;
  paperK: number;
  paper: { standard: number; looped: number; leastSquares: number | null };
  k: number;
  here: { standard: number; looped: number; leastSquares: number };
}

/**
 * Rows at the paper's k/d = 0.5, 1, 2 that are a whole k here (an odd d has no k/d = 0.5: rounded,
 * its row compared k/d = 0.6 with the paper's 0.5 under the same label) and fit in our prompts (k ≤ P − 1).
 */
export function comparisonRows(
  dims: number,
  points: number,
  curves: { standard: number[]; looped: number[]; leastSquares: number[] },
): ComparisonRow[] {
  return PAPER_LINEAR_REGRESSION.rows
    .map((row) => ({ row, ratio: row.k / PAPER_LINEAR_REGRESSION.dims }))
    .filter(({ ratio }) => Number.isInteger(ratio * dims) && ratio * dims <= points - 1)
    .map(({ row, ratio }) => {
      const k = ratio * dims;
      const { standard, looped, leastSquares } = row;
      const at = (c: number[]) => c[k] as number;
      const here = { standard: at(curves.standard), looped: at(curves.looped), leastSquares: at(curves.leastSquares) };
      return { ratio, paperK: row.k, paper: { standard, looped, leastSquares }, k, here };
    });
}

/** The table printed by the experiment and copied into the docs. */
function comparisonTable(rows: ComparisonRow[], dims: number, layers: number): string {
  const header = ['k/d', 'paper k (d=20)', 'paper 12-layer', 'paper looped', 'paper LS', `k (d=${dims})`];
  return formatTable(
    [...header, `here ${layers}-layer`, 'here looped', 'here LS'],
    rows.map((r) => [
      ...[fmt(r.ratio, 2), r.paperK, fmt(r.paper.standard, 5), fmt(r.paper.looped, 5), fmt(r.paper.leastSquares, 5)],
      ...[r.k, fmt(r.here.standard, 4), fmt(r.here.looped, 4), fmt(r.here.leastSquares, 4)],
    ]),
  );
}

const count = (n: number) => n.toLocaleString('en-US');

/** The tables (as printed), both figures and the results object, from the runs' summaries and the evaluation. */
export function report<F extends FlagSpecs>(name: string, input: ReportInput<F, Evaluation>): Report {
  const { measured: e, summaries, backend, threads } = input;
  const { looped, standard } = e.models;
  const { dims, points, errorScale } = e.task;
  const b = looped.config.loops;
  const [loopedCurve, standardCurve, lsCurve] = Object.values(e.curves) as [number[], number[], number[]];
  const last = points - 1;
  const ks = [...new Set([Math.round(dims / 2), dims, last])].filter((k) => k >= 0 && k < points);
  const byK = Object.fromEntries(ks.map((k) => [`k = ${k}`, e.loopCurves.map((c) => c[k] as number)]));
  const perBlock = blockParamCount(looped.config.embedSize, looped.config.mlpRatio);
  const params = {
    looped: looped.paramCount,
    standard: standard.paramCount,
    perBlock,
    loopedBlocks: looped.config.layers * perBlock,
    standardBlocks: standard.config.layers * perBlock,
  };
  const comparison = comparisonRows(dims, points, {
    looped: loopedCurve,
    standard: standardCurve,
    leastSquares: lsCurve,
  });
  const trained = (kind: 'looped' | 'standard') => {
    const s = summaries.get(kind);
    return { record: e.models[kind].record, steps: s?.steps ?? 0, wallSeconds: s?.wallSeconds ?? Number.NaN };
  };
  const training = { looped: trained('looped'), standard: trained('standard') };
  const loopsLine = [...new Set([1, b, 2 * b, e.loopCurves.length])]
    .filter((t) => t <= e.loopCurves.length)
    .map((t) => `t=${t}: ${fmt(e.loopCurves[t - 1]?.[last], 4)}`)
    .join(', ');
  const tables = [
    `parameters: looped ${count(params.looped)} (1 block: 12·${looped.config.embedSize}² + 13·${looped.config.embedSize} = ${count(perBlock)}), standard ${count(params.standard)} (${standard.config.layers} blocks: ${count(params.standardBlocks)}); ratio ${fmt(params.looped / params.standard, 3)}`,
    `training: looped ${training.looped.steps} steps in ${fmt(training.looped.wallSeconds, 1)} s, standard ${training.standard.steps} steps in ${fmt(training.standard.wallSeconds, 1)} s (${backend}${backend === 'wasm' ? `, ${threads} thread(s)` : ''}; wall time on a shared machine is noisy)`,
    formatTable(
      ['k', ...Object.keys(e.curves)],
      Array.from({ length: points }, (_, k) => [k, ...Object.values(e.curves).map((c) => fmt(c[k], 4))]),
    ),
    comparisonTable(comparison, dims, standard.config.layers),
    `looped error at k=${last} after t loops: ${loopsLine}`,
  ].join('\n\n');
  const yTitle = `squared error / ${errorScale} (floored at ${LOG_FLOOR})`;
  const scale = `d=${dims}, ${points} points, D=${looped.config.embedSize}`;
  return {
    tables: `${tables}\n`,
    figures: [
      [`${name}-error-vs-examples`, errorVsExamplesSpec(e.curves, `In-context linear regression (${scale})`, yTitle)],
      [
        `${name}-error-vs-loops`,
        errorVsLoopsSpec(byK, b, `Looped transformer past its trained b = ${b} loops (${scale})`, yTitle),
      ],
    ],
    results: {
      task: e.task.describe,
      evalPrompts: e.evalPrompts,
      models: { looped: looped.describe, standard: standard.describe },
      trainers: { looped: looped.trainer, standard: standard.trainer },
      run: { looped: looped.run, standard: standard.run },
      params,
      training,
      errorByExamples: e.curves,
      errorByLoops: { trainedLoops: b, byK },
      comparison,
    },
  };
}
