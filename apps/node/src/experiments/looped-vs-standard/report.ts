import { fmt, formatTable } from '../../render/table.js';

/** Yang et al. 2023, linear regression d = 20: error/d after k examples (PAPERS.md §5). */
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

/** Rows at the paper's k/d = 0.5, 1, 2 that fit in our prompts (k ≤ P − 1). */
export function comparisonRows(
  dims: number,
  points: number,
  curves: { standard: number[]; looped: number[]; leastSquares: number[] },
): ComparisonRow[] {
  return PAPER_LINEAR_REGRESSION.rows
    .map((row) => ({ row, ratio: row.k / PAPER_LINEAR_REGRESSION.dims }))
    .filter(({ ratio }) => Math.round(ratio * dims) <= points - 1)
    .map(({ row, ratio }) => {
      const k = Math.round(ratio * dims);
      return {
        ratio,
        paperK: row.k,
        paper: { standard: row.standard, looped: row.looped, leastSquares: row.leastSquares },
        k,
        here: {
          standard: curves.standard[k] as number,
          looped: curves.looped[k] as number,
          leastSquares: curves.leastSquares[k] as number,
        },
      };
    });
}

/** The table printed by the experiment and copied into the docs. */
export function comparisonTable(rows: ComparisonRow[], dims: number, layers: number): string {
  return formatTable(
    [
      'k/d',
      'paper k (d=20)',
      'paper 12-layer',
      'paper looped',
      'paper LS',
      `k (d=${dims})`,
      `here ${layers}-layer`,
      'here looped',
      'here LS',
    ],
    rows.map((r) => [
      fmt(r.ratio, 2),
      r.paperK,
      fmt(r.paper.standard, 5),
      fmt(r.paper.looped, 5),
      fmt(r.paper.leastSquares, 5),
      r.k,
      fmt(r.here.standard, 4),
      fmt(r.here.looped, 4),
      fmt(r.here.leastSquares, 4),
    ]),
  );
}

/** "12·64² + 13·64 = 49,984" */
export function blockFormulaLine(embedSize: number, perBlock: number): string {
  return `12·${embedSize}² + 13·${embedSize} = ${perBlock.toLocaleString('en-US')}`;
}
