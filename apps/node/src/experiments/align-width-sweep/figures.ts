import type { TopLevelSpec } from 'vega-lite';
import type { SweepRow } from './report.js';

const RULE_ORDER = ['backprop', 'align-ada', 'align-ada-frozen', 'align-zero', 'fa', 'dfa', 'readout-only'];

/** The rules present, in a fixed order, so a rule has the same colour in every figure. */
const domainOf = (rows: SweepRow[]) => RULE_ORDER.filter((r) => rows.some((x) => x.rule === r));

function panel(
  rows: SweepRow[],
  title: string,
  y: { field: keyof SweepRow; title: string; log?: boolean },
  domain: string[],
) {
  return {
    title,
    width: 300,
    height: 230,
    data: { values: rows.filter((r) => r[y.field] !== null && Number.isFinite(r[y.field] as number)) },
    mark: { type: 'line' as const, point: true, strokeWidth: 1.5 },
    encoding: {
      x: {
        field: 'width',
        type: 'quantitative' as const,
        title: 'width',
        scale: { type: 'log' as const, base: 2 },
        axis: { values: [...new Set(rows.map((r) => r.width))] },
      },
      y: {
        field: y.field,
        type: 'quantitative' as const,
        title: y.title,
        ...(y.log ? { scale: { type: 'log' as const } } : { scale: { zero: false } }),
      },
      color: { field: 'rule', type: 'nominal' as const, title: 'rule', scale: { domain } },
    },
  };
}

/** Test accuracy (MNIST settings) and test MSE (add) against width, one line per rule. */
export function performanceSpec(rows: SweepRow[], titles: Record<string, string>): TopLevelSpec {
  const ids = [...new Set(rows.map((r) => r.setting))];
  return {
    title: 'Boopathy & Fiete 2022: test performance vs width, per learning rule',
    hconcat: ids.map((id) => {
      const mse = id === 'add';
      return panel(
        rows.filter((r) => r.setting === id),
        titles[id] ?? id,
        mse
          ? { field: 'testMse', title: 'test MSE (log)', log: true }
          : { field: 'testAccuracy', title: 'test accuracy' },
        domainOf(rows),
      );
    }),
  };
}

/** Mean alignment of ΔWᵀΔW with backprop's against width, one line per rule. */
export function alignmentSpec(rows: SweepRow[], titles: Record<string, string>): TopLevelSpec {
  const ids = [...new Set(rows.map((r) => r.setting))];
  return {
    title: 'alignment with backprop: cos(ΔWᵀΔW), mean over weight matrices',
    hconcat: ids.map((id) =>
      panel(
        rows.filter((r) => r.setting === id && r.rule !== 'backprop'),
        titles[id] ?? id,
        { field: 'alignment', title: 'alignment with backprop' },
        domainOf(rows),
      ),
    ),
  };
}
