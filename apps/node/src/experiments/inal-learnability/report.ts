/**
 * The experiment's rows and their markdown tables: INAL (with the target's low-degree Fourier
 * weight and, for parities, the closed form) beside the final accuracy of each trainer.
 */
import { logLogSlope, slopePoints } from '@learnability/inal';
import type { InalPoint } from '../../inal/measure.js';
import { inalSlope } from '../../inal/measure.js';
import { fmt, fmtAccuracy, markdownTable } from '../../render/table.js';
import { SGD_BATCH, TRAIN_SET, scoredAccuracies } from './settings.js';
import type { TrainResult } from './settings.js';

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

/** A run whose training examples hold this share of the 2ⁿ inputs or more is marked: its test inputs were mostly trained on. */
export const MOSTLY_TRAINED_ON = 0.5;
const TRAINED_ON_MARK = '†';

/**
 * "0.999 (2/2 at step 150)": mean accuracy, how many replicas learned, and the median step over all
 * of them (one that did not learn counted as never); "(1/2 learned, median not reached)" when half
 * or more did not; marked † when most test inputs were trained on.
 */
function runCell(r: TrainResult | undefined): string {
  if (!r) return '—';
  const count = Math.round(r.successRate * r.accuracy.length);
  const of = `${count}/${r.accuracy.length}`;
  const bound = r.learnedAtStep !== null && r.learnedAtStep <= r.firstEvalStep ? '≤ ' : '';
  const learned =
    r.learnedAtStep !== null
      ? ` (${of} at step ${bound}${r.learnedAtStep})`
      : count > 0
        ? ` (${of} learned, median not reached)`
        : '';
  const mark = r.trainedOnShare >= MOSTLY_TRAINED_ON ? ` ${TRAINED_ON_MARK}` : '';
  const scored = scoredAccuracies(r.accuracy).length;
  const over = scored < r.accuracy.length ? ` (mean of ${scored} scored)` : '';
  return `${fmtAccuracy(r.meanAccuracy)}${over}${learned}${mark}`;
}

/**
 * One row per (target, n): degree weight, INAL, closed form, and each trainer's final accuracy;
 * under it, what † means where a cell has it.
 */
export function resultsTable(rows: readonly ExperimentRow[]): string {
  const header = ['target', 'n', 'W^≤2', 'INAL (pooled, 95 % CI)', 'closed form'];
  const marked = rows.some((r) => r.runs.some((x) => x.trainedOnShare >= MOSTLY_TRAINED_ON));
  const note = `\n\n${TRAINED_ON_MARK} A replica's training examples (noisy GD: its fixed set of ${TRAIN_SET.toLocaleString('en-US')}; SGD: ${SGD_BATCH} fresh ones per step until it stopped) hold at least ${MOSTLY_TRAINED_ON * 100} % of the 2ⁿ inputs in expectation (1 − (1 − 2⁻ⁿ)^examples), so most test inputs were trained on: this accuracy measures fitting the training set, not generalising from it.`;
  const table = markdownTable(
    [...header, 'noisy GD: test acc (learned at)', 'online SGD: test acc (learned at)'],
    rows.map((r) => {
      const low = r.lowDegreeWeight.slice(0, 3).reduce((a, b) => a + b, 0);
      const trainer = (id: string) => runCell(r.runs.find((x) => x.trainer === id));
      const closed = r.closedForm === null ? '—' : sci(r.closedForm);
      return [r.target, r.n, sci(low), inalCell(r.inal), closed, trainer('noisy-gd'), trainer('sgd')];
    }),
    'lrrlrll',
  );
  return marked ? `${table}${note}` : table;
}

/** Per target: the fitted log–log slope of INAL vs n over the resolved points, and of the closed form. */
export function slopeTable(rows: readonly ExperimentRow[]): string {
  const targets = [...new Set(rows.map((r) => r.target))];
  return markdownTable(
    ['target', 'measured slope', 'over n =', 'closed form, same n', 'closed form, all n'],
    targets.map((t) => {
      const mine = rows.filter((r) => r.target === t);
      const fit = inalSlope(mine.map((r) => r.inal));
      const measured = fit?.slope ?? null;
      // The points the fit used (it also leaves out a resolved point with no spread over its
      // inits); with no fit, the resolved ones.
      const used = fit?.ns ?? slopePoints(mine.map((r) => r.inal)).map((p) => p.n);
      const closedAt = (ns: readonly number[]) =>
        logLogSlope(
          mine
            .filter((r) => r.closedForm !== null && ns.includes(r.n))
            .map((r) => ({ x: r.n, y: r.closedForm as number })),
        );
      const [same, all] = [closedAt(used), closedAt(mine.map((r) => r.n))];
      const slope = (v: number | null | undefined) => (v === null || v === undefined ? '—' : fmt(v, 2));
      return [t, slope(measured), used.length ? used.join(', ') : 'none', slope(same?.slope), slope(all?.slope)];
    }),
    'lrlrr',
  );
}
