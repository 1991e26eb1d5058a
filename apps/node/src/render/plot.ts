import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '@learnability/experiment';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

const MEASURE_TITLES: Record<string, string> = {
  weightDistance: '‖θ − θ₀‖',
  subsetWeightShare: 'first-layer weight share on S',
};

interface Point {
  step: number;
  replica: string;
  value: number;
}

/**
 * A vega-lite spec of a run record: training loss (log scale), test accuracy (or test MSE) and
 * each hidden-progress measure against step, one line per replica.
 */
export function recordSpec(record: RunRecord, title: string): TopLevelSpec {
  const loss: Point[] = [];
  const score: Point[] = [];
  const sign = record.evals.some((e) => e.testAccuracy.some((a) => a !== null));
  for (const e of record.evals) {
    e.loss.forEach((v, r) => {
      if (v !== null && Number.isFinite(v) && v > 0) loss.push({ step: e.step, replica: `replica ${r}`, value: v });
    });
    (sign ? e.testAccuracy : e.testError).forEach((v, r) => {
      if (v !== null && Number.isFinite(v)) score.push({ step: e.step, replica: `replica ${r}`, value: v });
    });
  }
  const panel = (data: Point[], y: string, log: boolean) => ({
    width: 560,
    height: 220,
    data: { values: data },
    mark: { type: 'line' as const, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative' as const, title: 'step' },
      y: { field: 'value', type: 'quantitative' as const, title: y, ...(log ? { scale: { type: 'log' as const } } : {}) },
      color: { field: 'replica', type: 'nominal' as const, title: null },
    },
  });
  // Hidden-progress measures (‖θ − θ₀‖, the weight share on a parity's hidden subset, …).
  const measureNames = [...new Set(record.evals.flatMap((e) => Object.keys(e.measures)))];
  const measurePanels = measureNames.map((name) => {
    const points: Point[] = [];
    for (const e of record.evals) {
      (e.measures[name] ?? []).forEach((v, r) => {
        if (v !== null && Number.isFinite(v)) points.push({ step: e.step, replica: `replica ${r}`, value: v });
      });
    }
    return panel(points, MEASURE_TITLES[name] ?? name, false);
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    background: 'white',
    vconcat: [panel(loss, 'training loss (log)', true), panel(score, sign ? 'test accuracy' : 'test MSE', false), ...measurePanels],
  };
}

/** Renders a vega-lite spec to SVG text in Node (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rasterises SVG to PNG with resvg (a prebuilt binary shipped inside its npm package). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true } });
  return resvg.render().asPng();
}

/** Writes `spec` as `<dir>/<base>.svg` and `<dir>/<base>.png`; returns both paths. */
export async function writeFigure(dir: string, base: string, spec: TopLevelSpec): Promise<string[]> {
  const svg = await renderSvg(spec);
  const paths = [join(dir, `${base}.svg`), join(dir, `${base}.png`)];
  writeFileSync(paths[0] as string, svg);
  writeFileSync(paths[1] as string, await svgToPng(svg));
  return paths;
}
