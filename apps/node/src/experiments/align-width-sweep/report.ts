import { fmt } from '../../render/table.js';

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

/** A markdown table per setting: rows = widths, columns = rules, cells "metric (alignment)". */
export function markdownTable(rows: SweepRow[], setting: string, rules: readonly string[]): string {
  const mine = rows.filter((r) => r.setting === setting);
  const widths = [...new Set(mine.map((r) => r.width))].sort((a, b) => a - b);
  const mse = mine.some((r) => r.testAccuracy === null);
  const cell = (w: number, rule: string) => {
    const r = mine.find((x) => x.width === w && x.rule === rule);
    if (!r) return '—';
    if (r.status !== 'completed') return r.status;
    const metric = mse ? fmt(r.testMse, 4) : fmt(r.testAccuracy, 3);
    return r.alignment === null ? metric : `${metric} (${fmt(r.alignment, 2)})`;
  };
  const header = `| width | ${rules.join(' | ')} |`;
  const line = `|---:|${rules.map(() => '---:').join('|')}|`;
  return [header, line, ...widths.map((w) => `| ${w} | ${rules.map((rule) => cell(w, rule)).join(' | ')} |`)].join(
    '\n',
  );
}

/** Steps/s of each rule at each width of one setting (wall time of the whole run, evaluation included). */
export function speedTable(rows: SweepRow[], setting: string, rules: readonly string[]): string {
  const mine = rows.filter((r) => r.setting === setting);
  const widths = [...new Set(mine.map((r) => r.width))].sort((a, b) => a - b);
  const cell = (w: number, rule: string) => fmt(mine.find((x) => x.width === w && x.rule === rule)?.stepsPerSecond, 1);
  return [
    `| width | ${rules.join(' | ')} |`,
    `|---:|${rules.map(() => '---:').join('|')}|`,
    ...widths.map((w) => `| ${w} | ${rules.map((r) => cell(w, r)).join(' | ')} |`),
  ].join('\n');
}
