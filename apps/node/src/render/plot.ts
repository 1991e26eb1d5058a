import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Renders a vega-lite spec to SVG text in Node (no browser, no canvas), on white unless it says otherwise. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile({ background: 'white', ...spec }).spec), { renderer: 'none' });
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
