/**
 * The experiment's two figures as vega-lite specs: INAL against n (log–log, one line per target,
 * with the closed form for parities) and final test accuracy against INAL (one panel per trainer).
 */
import type { TopLevelSpec } from 'vega-lite';
import { MOSTLY_TRAINED_ON } from './report.js';
import type { ExperimentRow } from './report.js';
import { scoredAccuracies } from './settings.js';

/**
 * The INAL value a row is plotted at: the estimate when resolved; else the closed form where there is
 * one (parities: exact for this network, and matched by the estimate wherever that resolves); else
 * the upper end of the interval.
 */
function plotted(row: ExperimentRow, useClosedForm: boolean): { value: number; kind: string } | null {
  const p = row.inal;
  if (p.resolved) return { value: p.inal, kind: MEASURED };
  if (useClosedForm && row.closedForm !== null && row.closedForm > 0) return { value: row.closedForm, kind: CLOSED };
  return p.ciHigh > 0 ? { value: p.ciHigh, kind: BOUND } : null;
}

const MEASURED = 'measured';
const CLOSED = 'closed form (below resolution)';
const BOUND = 'upper bound';
const SHAPES = {
  field: 'kind',
  type: 'nominal',
  title: null,
  scale: { domain: [MEASURED, CLOSED, BOUND], range: ['circle', 'square', 'triangle-down'] },
  legend: { labelLimit: 320 },
} as const;

export function inalVsNSpec(rows: readonly ExperimentRow[]): TopLevelSpec {
  const points = rows.flatMap((r) => {
    const v = plotted(r, false);
    return v
      ? [
          {
            target: r.target,
            n: r.n,
            inal: v.value,
            kind: v.kind,
            lo: r.inal.resolved ? Math.max(r.inal.ciLow, v.value / 100) : null,
            hi: r.inal.resolved ? r.inal.ciHigh : null,
          },
        ]
      : [];
  });
  const theory = rows
    .filter((r) => r.closedForm !== null && r.closedForm > 0)
    .map((r) => ({ target: r.target, n: r.n, inal: r.closedForm }));
  const x = {
    field: 'n',
    type: 'quantitative' as const,
    title: 'n (input bits)',
    scale: { type: 'log' as const, base: 2 },
    axis: { values: [...new Set(rows.map((r) => r.n))] },
  };
  // Down to 1e-10: the closed form of a degree-n/2 parity runs off the bottom (1e-24 at n = 64).
  const y = {
    field: 'inal',
    type: 'quantitative' as const,
    title: 'INAL (log)',
    scale: { type: 'log' as const, domain: [1e-10, 0.1] },
    axis: { format: '.0e' },
  };
  const color = { field: 'target', type: 'nominal', title: 'target' } as const;
  return {
    title: {
      text: 'INAL of a ReLU MLP (width 256, N(0, 1/fan-in) weights and biases) against n',
      subtitle: [
        'points: measured (pooled estimator, 95 % interval); dashed: closed form for parities;',
        '▽: not resolved, the upper end of the interval',
      ],
    },
    width: 520,
    height: 340,
    layer: [
      {
        data: { values: theory },
        mark: { type: 'line', strokeDash: [4, 3], strokeWidth: 1, clip: true },
        encoding: { x, y, color },
      },
      {
        data: { values: points.filter((p) => p.kind === MEASURED) },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { x, y, color },
      },
      {
        data: { values: points.filter((p) => p.lo !== null) },
        mark: { type: 'rule' },
        encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { type: 'log' } }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: { x, y, color, shape: SHAPES },
      },
    ],
  };
}

const HELD_OUT = 'test inputs mostly unseen in training';
const TRAINED_ON = 'test inputs mostly trained on (†)';

export function accuracyVsInalSpec(rows: readonly ExperimentRow[]): TopLevelSpec {
  const values = rows.flatMap((r) => {
    const v = plotted(r, true);
    return v
      ? r.runs.map((run) => ({
          target: r.target,
          n: r.n,
          trainer: run.trainer === 'noisy-gd' ? 'noisy GD (full batch)' : 'online SGD',
          inal: v.value,
          kind: v.kind,
          accuracy: run.meanAccuracy,
          test: run.trainedOnShare >= MOSTLY_TRAINED_ON ? TRAINED_ON : HELD_OUT,
          scored: scoredAccuracies(run.accuracy).length,
          replicas: run.accuracy.length,
        }))
      : [];
  });
  // A replica that diverged before its first evaluation has no accuracy: its point is the mean of the others.
  const fewer = values.filter((p) => p.scored < p.replicas).length;
  return {
    title: {
      text: 'Final test accuracy against INAL at initialisation',
      subtitle: [
        'one point per (target, n), the mean of the replicas; □: a parity whose INAL is below',
        "the estimator's resolution, placed at its closed form; ▽: INAL is at most this; faded: the",
        'training examples held most of the 2ⁿ inputs, so the accuracy is fitting, not generalisation',
        ...(fewer > 0
          ? [
              `${fewer} point(s) average fewer replicas than trained: the others diverged before their first evaluation (the table says which)`,
            ]
          : []),
      ],
    },
    data: { values },
    facet: { column: { field: 'trainer', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 260,
      layer: [
        {
          mark: { type: 'rule', strokeDash: [2, 2], color: '#999' },
          encoding: { y: { datum: 0.5, type: 'quantitative' } },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            x: {
              field: 'inal',
              type: 'quantitative',
              title: 'INAL (log)',
              scale: { type: 'log' },
              axis: { format: '.0e', grid: false },
            },
            y: {
              field: 'accuracy',
              type: 'quantitative',
              title: 'final test accuracy',
              scale: { domain: [0.4, 1.02], zero: false },
            },
            color: { field: 'target', type: 'nominal', title: 'target' },
            shape: SHAPES,
            // Ordinal: vega-lite warns of opacity over an unsorted (nominal) field.
            opacity: {
              field: 'test',
              type: 'ordinal',
              title: null,
              scale: { domain: [HELD_OUT, TRAINED_ON], range: [1, 0.3] },
              legend: { labelLimit: 320 },
            },
            tooltip: [
              { field: 'target' },
              { field: 'n' },
              { field: 'inal' },
              { field: 'accuracy' },
              { field: 'scored' },
            ],
          },
        },
      ],
    },
  };
}
