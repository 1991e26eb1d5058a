/**
 * The align-width-sweep report, pure over the runs' summaries and their alignment with backprop:
 * one row per run, a markdown table of the metric and one of steps/s per setting, two figures.
 */
import { fmt, markdownTable } from '../../render/table.js';
import type { Report, ReportInput } from '../data-experiment.js';
import type { FlagSpecs } from '../../schema-flags.js';
import { alignmentSpec, performanceSpec } from './figures.js';
import type { Setting } from './settings.js';

/** A run's alignment with the backprop run of its width: the mean over weight matrices, and each. */
export interface Alignment {
  mean: number;
  byLayer: Record<string, number>;
}

/** The runs in table order, each with its key, and what the results record of the sweep. */
export interface SweepPlan {
  runs: { setting: Setting; width: number; rule: string; key: string }[];
  rules: readonly string[];
  /** The scale flags' values (--widths, --mnist-steps, …). */
  scale: Record<string, unknown>;
}

/** One trained network of the sweep. */
export interface SweepRow {
  setting: string;
  width: number;
  rule: string;
  /** Argmax test accuracy (MNIST), else null. */
  testAccuracy: number | null;
  /** Test MSE (every setting; for MNIST the MSE to the one-hot − 0.1 targets is not reported by the loop: null). */
  testMse: number | null;
  finalLoss: number;
  /** Mean over weight matrices of cos(ΔWᵀΔW) with the backprop run of the same width; null for backprop. */
  alignment: number | null;
  /** The same per weight matrix. */
  alignmentByLayer: Record<string, number>;
  status: string;
  wallSeconds: number;
  stepsPerSecond: number;
}

/** A markdown table of one setting: rows = widths, columns = rules, cells from `cell(row)` ('—' where none). */
function widthTable(rows: SweepRow[], setting: string, rules: readonly string[], cell: (r: SweepRow) => string) {
  const mine = rows.filter((r) => r.setting === setting);
  const widths = [...new Set(mine.map((r) => r.width))].sort((a, b) => a - b);
  const at = (w: number, rule: string) => {
    const r = mine.find((x) => x.width === w && x.rule === rule);
    return r ? cell(r) : '—';
  };
  return markdownTable(
    ['width', ...rules],
    widths.map((w) => [w, ...rules.map((rule) => at(w, rule))]),
    'r'.repeat(rules.length + 1),
  );
}

/**
 * Cells "metric (alignment)": the setting's metric, test accuracy (MNIST) or test MSE (add); a run
 * that did not complete shows its status. (Read off the rows, one diverged MNIST run, with no
 * accuracy, turned the whole table into MSE cells, which MNIST has none of.)
 */
export function metricTable(
  rows: SweepRow[],
  setting: string,
  rules: readonly string[],
  metric: 'accuracy' | 'mse',
): string {
  const mse = metric === 'mse';
  return widthTable(rows, setting, rules, (r) => {
    if (r.status !== 'completed') return r.status;
    const score = mse ? fmt(r.testMse, 4) : fmt(r.testAccuracy, 3);
    return r.alignment === null ? score : `${score} (${fmt(r.alignment, 2)})`;
  });
}

/** Steps/s of each rule at each width of one setting (wall time of the whole run, evaluation included). */
export function speedTable(rows: SweepRow[], setting: string, rules: readonly string[]): string {
  return widthTable(rows, setting, rules, (r) => fmt(r.stepsPerSecond, 1));
}

const finite = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** One row per run, the two tables per setting, both figures and the results object. */
export function report<F extends FlagSpecs>(
  input: ReportInput<F, ReadonlyMap<string, Alignment>>,
  plan: SweepPlan,
): Report {
  const { summaries, measured } = input;
  const rows: SweepRow[] = plan.runs.flatMap(({ setting, width, rule, key }) => {
    const summary = summaries.get(key);
    if (!summary) return [];
    const r0 = summary.replicas[0];
    const score = measured.get(key);
    return {
      setting: setting.id,
      width,
      rule,
      testAccuracy: finite(r0?.testAccuracy),
      testMse: setting.metric === 'mse' ? finite(r0?.testError) : null,
      finalLoss: r0?.finalLoss ?? Number.NaN,
      alignment: score?.mean ?? null,
      alignmentByLayer: score?.byLayer ?? {},
      status: summary.status,
      wallSeconds: summary.wallSeconds,
      stepsPerSecond: summary.steps / summary.wallSeconds,
    };
  });
  const settings = [...new Map(plan.runs.map((r) => [r.setting.id, r.setting])).values()];
  const titles = Object.fromEntries(settings.map((x) => [x.id, x.title]));
  const tables = settings
    .map(
      (x) =>
        `### ${x.title}\n\n${x.metric === 'mse' ? 'test MSE' : 'test accuracy'} (alignment with backprop)\n\n${metricTable(rows, x.id, plan.rules, x.metric)}\n\nsteps/s (whole run, evaluation included)\n\n${speedTable(rows, x.id, plan.rules)}`,
    )
    .join('\n\n');
  return {
    tables: `${tables}\n`,
    figures: [
      ['align-width-performance', performanceSpec(rows, titles)],
      ['align-width-alignment', alignmentSpec(rows, titles)],
    ],
    results: { scale: plan.scale, rules: plan.rules, rows },
  };
}
