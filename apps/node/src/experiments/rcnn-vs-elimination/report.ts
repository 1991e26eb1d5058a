import { censoredMedian } from '@learnability/core';
import { fmt, fmtAccuracy, markdownTable as md } from '../../render/table.js';
import type { NetworkRun } from './train.js';
import type { DirectRow, InContextResult } from './results.js';

const count = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * Networks are checked at evaluations only, so a count is where the threshold was first seen:
 * learned at the run's first evaluation, the network may have needed any count up to it ("≤").
 */
const atFirstEval = (run: NetworkRun, samples: number) => samples <= run.firstEvalSamples;

/**
 * "9,600 (2/2)", "≤ 1,600 (2/2)" or "> 64,000 (0/2, 1 diverged, time)": the median over the
 * replicas (`censoredMedian`), one that did not learn counted as past the budget it ran to; then
 * how many learned, how many diverged, and why the run ended. Unreached, the median is only
 * bounded below (`medianAbove`).
 */
function samplesCell(run: NetworkRun): string {
  const learned = run.samples.filter((s) => s !== null).length;
  const diverged = run.divergedAtStep.filter((s) => s !== null).length;
  const m = censoredMedian(run.samples);
  const why = [
    `${learned}/${run.samples.length}`,
    ...(diverged > 0 ? [`${diverged} diverged`] : []),
    ...(m === null && run.ended !== 'diverged' ? [run.ended] : []),
  ].join(', ');
  return m === null
    ? `> ${count(medianAbove(run.samples, run.samplesSeen))} (${why})`
    : `${atFirstEval(run, m) ? '≤ ' : ''}${count(m)} (${why})`;
}

/**
 * What an unreached median is known to exceed, the ones not learned being past `budget`: the
 * budget when more than half did not learn, and (largest learned + budget) / 2 when exactly half
 * did (2 replicas, 1 learned at 9,600 of 64,000: the median is past 36,800, not past 64,000).
 */
export function medianAbove(values: readonly (number | null)[], budget: number): number {
  const learned = values.filter((v): v is number => v !== null);
  return learned.length > 0 && 2 * learned.length === values.length ? (Math.max(...learned) + budget) / 2 : budget;
}

/** Seconds to 0.1 s, and to 0.01 s under 0.1 s: a run that learned in 0.049 s read "0". */
const seconds = (v: number) => fmt(v, v < 0.1 ? 2 : 1);

function secondsCell(run: NetworkRun): string {
  const m = censoredMedian(run.seconds);
  return m === null ? `> ${seconds(medianAbove(run.seconds, run.wallSeconds))}` : seconds(m);
}

/** What the direct table's network columns measure, printed under it. */
export const DIRECT_TABLE_NOTE = (evalSamples: number) =>
  `Network samples are those seen at the first evaluation at ≥ 99% (evaluations every ${count(evalSamples)} samples), so each count overstates the need by less than ${count(evalSamples)}; "≤" marks a network that had learned by its first evaluation, whose need is anywhere up to that count. Network seconds are the run's elapsed time at that evaluation (all its replicas, its test set, evaluations and checkpoints included), not a cost per solve like elimination's µs (a whole solve: sampling and elimination to rank n).`;

/** Samples and time to learn: elimination to rank n, the RCNN and the dense MLP to 99% test accuracy. */
export function directTable(rows: readonly DirectRow[]): string {
  return md(
    [
      'parity',
      'n',
      'k',
      'elim. bound n+⌈log₂(1/δ)⌉',
      'elim. median samples to rank n',
      'elim. µs per solve',
      'RCNN params',
      'RCNN samples (learned)',
      'RCNN s',
      'MLP params',
      'MLP samples (learned)',
      'MLP s',
      'RCNN ÷ elim. samples',
    ],
    rows.map((r) => {
      const rcnn = censoredMedian(r.rcnn.samples);
      return [
        r.family,
        String(r.n),
        String(r.k),
        String(r.elimination.theorySamples),
        fmt(r.elimination.medianSamples, 1),
        fmt(r.elimination.meanMicroseconds, 1),
        count(r.rcnn.paramCount),
        samplesCell(r.rcnn),
        secondsCell(r.rcnn),
        count(r.dense.paramCount),
        samplesCell(r.dense),
        secondsCell(r.dense),
        rcnn === null
          ? `> ${count(medianAbove(r.rcnn.samples, r.rcnn.samplesSeen) / r.elimination.medianSamples)}×`
          : `${atFirstEval(r.rcnn, rcnn) ? '≤ ' : ''}${count(rcnn / r.elimination.medianSamples)}×`,
      ];
    }),
  );
}

export function inContextTable(r: InContextResult): string {
  // A replica that diverged before its first evaluation has no score: say so, not "—".
  const acc = r.rcnn.finalTestAccuracy
    .map((a, i) => {
      const at = r.rcnn.divergedAtStep[i] ?? null;
      return at === null ? fmtAccuracy(a) : `${a === null ? '' : `${fmtAccuracy(a)}, `}diverged at step ${count(at)}`;
    })
    .join('; ');
  return md(
    [
      'n',
      'k',
      'm',
      'RCNN params',
      'RCNN steps (prompts)',
      'RCNN s',
      'RCNN test acc.',
      'elimination acc.',
      'prompts of rank n (theory)',
      'row-lookup acc.',
    ],
    [
      [
        String(r.n),
        String(r.k),
        String(r.examples),
        count(r.rcnn.paramCount),
        // A run its time budget stopped read as given those steps alone (a divergence is in the accuracy cell).
        `${count(r.rcnn.steps)} (${count(r.rcnn.samplesSeen)})${r.rcnn.ended === 'time' ? ', stopped: time budget spent' : ''}`,
        fmt(r.rcnn.wallSeconds, 1),
        acc,
        fmtAccuracy(r.elimination.accuracy),
        `${fmt(r.elimination.fullRank, 3)} (${fmt(r.elimination.theoryFullRank, 3)})`,
        fmtAccuracy(r.elimination.lookupAccuracy),
      ],
    ],
  );
}
