/**
 * Where a named experiment writes, and the closing every one of them shares: its figures, its
 * results JSON and its markdown tables. Everything goes under --out (default runs/…) unless --docs
 * asks for the committed places (docs/figures, docs/reproductions), which a plain run must not overwrite.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFigure } from '../render/plot.js';

export const OUTPUT_FLAGS = {
  docs: { type: 'boolean', default: false },
  figures: { type: 'string' },
} as const;

export const OUTPUT_HELP = `  --docs             write figures and tables into docs/ (docs/figures, docs/reproductions),
                     replacing the committed ones; without it nothing under docs/ is touched
  --figures dir      SVG and PNG figures (default: --out, or docs/figures with --docs)`;

/** The figures folder: --figures, else docs/figures with --docs, else `fallback` (under --out). */
export function figuresDir(values: { docs: boolean; figures?: string | undefined }, fallback: string): string {
  return values.figures ?? (values.docs ? 'docs/figures' : fallback);
}

/** A figure: its file name without extension (written as .svg and .png) and its Vega-Lite spec. */
export type Figure = readonly [base: string, spec: TopLevelSpec];

export interface ExperimentOutputs<R> {
  /** The figures folder (`figuresDir`), made if missing. */
  figuresAt: string;
  /** Written in order into `figuresAt`. */
  figures: readonly Figure[];
  /** The results object, given the paths of the figures written. */
  results: (figures: string[]) => R;
  /** Where the results go, as JSON indented by `indent` spaces, with a closing newline. */
  resultsPath: string;
  indent: number;
  /** Markdown tables and their file, written as given. */
  tables?: { path: string; text: string };
}

/**
 * The closing of a named experiment: makes the folders, writes the figures, then the results JSON,
 * then the tables. Returns the figure paths and the results; what to print stays with the experiment.
 */
export async function writeOutputs<R>(o: ExperimentOutputs<R>): Promise<{ figures: string[]; results: R }> {
  for (const dir of [dirname(o.resultsPath), ...(o.tables ? [dirname(o.tables.path)] : []), o.figuresAt])
    mkdirSync(dir, { recursive: true });
  const figures: string[] = [];
  for (const [base, spec] of o.figures) figures.push(...(await writeFigure(o.figuresAt, base, spec)));
  const results = o.results(figures);
  writeFileSync(o.resultsPath, `${JSON.stringify(results, null, o.indent)}\n`);
  if (o.tables) writeFileSync(o.tables.path, o.tables.text);
  return { figures, results };
}
