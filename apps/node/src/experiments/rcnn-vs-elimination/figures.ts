import { censoredMedian } from '@learnability/core';
import type { TopLevelSpec } from 'vega-lite';
import type { DirectRow } from './results.js';

interface Point {
  family: string;
  n: number;
  series: string;
  /** 'learned', or not learned for lack of budget or by divergence (plotted at the samples / seconds spent). */
  outcome: string;
  samples: number;
  seconds: number;
}

const NOT_LEARNED = { budget: 'not learned: budget spent', diverged: 'not learned: diverged' };

const SERIES = {
  bound: 'elimination bound n + ⌈log₂(1/δ)⌉',
  elimination: 'GF(2) elimination (median samples; mean s per solve)',
  rcnn: 'RCNN (median replica)',
  dense: 'dense MLP (median replica)',
};

function points(rows: readonly DirectRow[]): Point[] {
  return rows.flatMap((r) => {
    const family = r.family === 'sparse' ? `sparse parity, k = ${r.k}` : 'full parity, k = n';
    const net = (series: string, run: DirectRow['rcnn']): Point => {
      const samples = censoredMedian(run.samples);
      const seconds = censoredMedian(run.seconds);
      return samples === null || seconds === null
        ? {
            family,
            n: r.n,
            series,
            outcome: run.ended === 'diverged' ? NOT_LEARNED.diverged : NOT_LEARNED.budget,
            samples: run.samplesSeen,
            seconds: run.wallSeconds,
          }
        : { family, n: r.n, series, outcome: 'learned', samples, seconds };
    };
    const eliminationSeconds = r.elimination.meanMicroseconds / 1e6;
    return [
      {
        family,
        n: r.n,
        series: SERIES.bound,
        outcome: 'learned',
        samples: r.elimination.theorySamples,
        seconds: eliminationSeconds,
      },
      {
        family,
        n: r.n,
        series: SERIES.elimination,
        outcome: 'learned',
        samples: r.elimination.medianSamples,
        seconds: eliminationSeconds,
      },
      net(SERIES.rcnn, r.rcnn),
      net(SERIES.dense, r.dense),
    ];
  });
}

const panel = (field: 'samples' | 'seconds', title: string, values: Point[], withBound: boolean) => ({
  data: { values: withBound ? values : values.filter((p) => p.series !== SERIES.bound) },
  facet: { column: { field: 'family', type: 'nominal' as const, title: null, sort: 'descending' as const } },
  spec: {
    width: 300,
    height: 220,
    layer: [
      {
        transform: [{ filter: "datum.outcome === 'learned'" }],
        mark: { type: 'line' as const, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'n', type: 'quantitative' as const, title: 'input bits n' },
          y: { field, type: 'quantitative' as const, title, scale: { type: 'log' as const } },
          color: { field: 'series', type: 'nominal' as const, title: null, legend: { labelLimit: 400 } },
        },
      },
      {
        mark: { type: 'point' as const, size: 60, filled: true },
        encoding: {
          x: { field: 'n', type: 'quantitative' as const },
          y: { field, type: 'quantitative' as const, scale: { type: 'log' as const } },
          color: { field: 'series', type: 'nominal' as const, title: null },
          shape: {
            field: 'outcome',
            type: 'nominal' as const,
            title: null,
            legend: { labelLimit: 400 },
            scale: {
              domain: ['learned', NOT_LEARNED.budget, NOT_LEARNED.diverged],
              range: ['circle', 'triangle-up', 'cross'],
            },
          },
        },
      },
    ],
  },
});

/**
 * Samples and wall seconds to learn against n (networks: 99% test accuracy; elimination: rank n),
 * sparse and full parity side by side.
 */
export function raceSpec(rows: readonly DirectRow[], title: string): TopLevelSpec {
  const values = points(rows);
  return {
    title,
    vconcat: [
      panel('samples', 'samples to learn (log)', values, true),
      panel('seconds', "wall seconds to learn (log; networks: the whole run's, all replicas)", values, false),
    ],
    resolve: { scale: { color: 'shared', shape: 'shared' } },
  };
}
