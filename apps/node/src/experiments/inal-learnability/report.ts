/**
 * The experiment's rows and their markdown tables: INAL (with the target's low-degree Fourier
 * weight and, for parities, the closed form) beside the final accuracy of each trainer.
 */
import { logLogSlope, slopePoints } from '@learnability/inal';
import type { InalPoint } from '../../inal/measure.js';
import { inalSlope } from '../../inal/measure.js';
import { fmt } from '../../render/table.js';
import type { TrainResult } from './train.js';

export interface ExperimentRow {
  target: string;
  n: number;
  /** W^{=d} of the target for d = 0..3 (exact). */
  lowDegreeWeight: number[];
  inal: InalPoint;
  /** reluParityAlignment for parity targets (the first layer's exact INAL), else null. */
  closedForm: number | null;
  runs: TrainResult[];
}

const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e-3 ? fmt(v, 4) : v.toExponential(2));

function inalCell(p: InalPoint): string {
  return p.resolved
    ? `${sci(p.inal)} [${sci(p.ciLow)}, ${sci(p.ciHigh)}]`
    : `≤ ${sci(Math.max(p.ciHigh, 0))} (not resolved)`;
}

function runCell(r: TrainResult | undefined): string {
  if (!r) return '—';
  const learned = r.learnedAtStep !== null ? ` (step ${r.learnedAtStep})` : '';
  return `${fmt(r.meanAccuracy, 3)}${learned}`;
}

/** One row per (target, n): degree weight, INAL, closed form, and each trainer's final accuracy. */
export function resultsTable(rows: readonly ExperimentRow[]): string {
  const header =
    '| target | n | W^≤2 | INAL (pooled, 95 % CI) | closed form | noisy GD: test acc (learned at) | online SGD: test acc (learned at) |';
  const lines = rows.map((r) => {
    const low = r.lowDegreeWeight.slice(0, 3).reduce((a, b) => a + b, 0);
    const trainer = (id: string) => r.runs.find((x) => x.trainer === id);
    return `| ${r.target} | ${r.n} | ${sci(low)} | ${inalCell(r.inal)} | ${r.closedForm === null ? '—' : sci(r.closedForm)} | ${runCell(trainer('noisy-gd'))} | ${runCell(trainer('sgd'))} |`;
  });
  return [header, '|---|---:|---:|---|---:|---|---|', ...lines].join('\n');
}

/** Per target: the fitted log–log slope of INAL vs n over the resolved points, and of the closed form. */
export function slopeTable(rows: readonly ExperimentRow[]): string {
  const targets = [...new Set(rows.map((r) => r.target))];
  const lines = targets.map((t) => {
    const mine = rows.filter((r) => r.target === t);
    const measured = inalSlope(mine.map((r) => r.inal))?.slope ?? null;
    const used = slopePoints(mine.map((r) => r.inal)).map((p) => p.n);
    const closedAt = (ns: readonly number[]) =>
      logLogSlope(
        mine
          .filter((r) => r.closedForm !== null && ns.includes(r.n))
          .map((r) => ({ x: r.n, y: r.closedForm as number })),
      );
    const [same, all] = [closedAt(used), closedAt(mine.map((r) => r.n))];
    return `| ${t} | ${measured === null ? '—' : fmt(measured, 2)} | ${used.length ? used.join(', ') : 'none'} | ${same ? fmt(same.slope, 2) : '—'} | ${all ? fmt(all.slope, 2) : '—'} |`;
  });
  return [
    '| target | measured slope | over n = | closed form, same n | closed form, all n |',
    '|---|---:|---|---:|---:|',
    ...lines,
  ].join('\n');
}
