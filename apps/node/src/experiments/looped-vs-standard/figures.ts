import type { TopLevelSpec } from 'vega-lite';

/** Exact zeros (least squares from k = d on) cannot sit on a log axis: they are drawn here. */
export const LOG_FLOOR = 1e-6;

interface Point {
  x: number;
  series: string;
  value: number;
}

const floor = (v: number) => Math.max(v, LOG_FLOOR);

/** Error / scale against in-context examples k, one line per learner (the paper's Figure 3 axes). */
export function errorVsExamplesSpec(curves: Record<string, number[]>, title: string, yTitle: string): TopLevelSpec {
  const values: Point[] = Object.entries(curves).flatMap(([series, errs]) =>
    errs.map((value, k) => ({ x: k, series, value: floor(value) })),
  );
  return {
    title,
    width: 520,
    height: 300,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'in-context examples k', axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 320 } },
      strokeDash: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/**
 * Error / scale of the looped model against loop iterations t (past the trained b), one line per
 * number of examples k, with a rule at b: a fixed point shows as a flat line after b.
 */
export function errorVsLoopsSpec(
  byK: Record<string, number[]>,
  trainedLoops: number,
  title: string,
  yTitle: string,
): TopLevelSpec {
  const values: Point[] = Object.entries(byK).flatMap(([series, errs]) =>
    errs.map((value, t) => ({ x: t + 1, series, value: floor(value) })),
  );
  return {
    title,
    width: 520,
    height: 300,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'loop iterations t', axis: { format: 'd', tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      {
        data: { values: [{ x: trainedLoops, label: `trained b = ${trainedLoops}` }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
    ],
  };
}
