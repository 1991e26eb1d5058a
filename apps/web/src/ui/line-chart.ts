/**
 * A small SVG line chart: one line per series, axes with a few ticks, optional log y. Drawn from
 * scratch on each update (a run has at most a few hundred evaluations per replica).
 */
import { PALETTE, svgEl } from './dom.js';
import { linearTicks, logTicks, tickLabel } from './ticks.js';

export interface Series {
  label: string;
  /** (x, y) points; non-finite y values break the line. */
  points: readonly (readonly [number, number | null])[];
  /** The line's colour; default: the palette's, by the series' index (replica r in the page's legend). */
  colour?: string;
}

/** A series of the whole run, not of one replica: drawn in a colour the replicas' legend does not use. */
export const RUN_COLOUR = '#555';

export interface ChartOptions {
  title: string;
  xLabel?: string;
  /** Fixed y range (accuracy: [0, 1]); default: the data's range. */
  yRange?: readonly [number, number];
  /** Log y, where every finite value is positive; otherwise linear (a correlation loss is negative, a fitted hinge loss 0). */
  logY?: boolean;
}

const W = 400;
const H = 210;
const PAD = { left: 50, right: 12, top: 28, bottom: 40 };

/**
 * Whether a log y axis can show every point: a value ≤ 0 has no log, and on a log axis it was
 * dropped, so a correlation loss (negative) read "no data yet" and a fitted hinge loss (0) ended.
 */
export const logScaleFits = (series: readonly Series[]): boolean =>
  series.every((s) => s.points.every(([, y]) => y === null || !Number.isFinite(y) || y > 0));

/** Renders the chart into `svg` (replacing what was there). */
export function drawChart(svg: SVGSVGElement, series: readonly Series[], options: ChartOptions): void {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', options.title);
  const logY = options.logY === true && logScaleFits(series);
  svg.append(svgEl('text', { x: 8, y: 18, class: 'chart-title' }, `${options.title}${logY ? ' (log)' : ''}`));
  const tf = (y: number) => (logY ? Math.log10(y) : y);
  const finite = series.flatMap((s) =>
    s.points.filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(tf(p[1]))),
  );
  if (finite.length === 0) {
    svg.append(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'chart-empty' }, 'no data yet'));
    return;
  }
  const xs = finite.map((p) => p[0]);
  const ys = finite.map((p) => tf(p[1]));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = options.yRange ? [tf(options.yRange[0]), tf(options.yRange[1])] : [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const sx = (x: number) =>
    PAD.left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right) : (W - PAD.left - PAD.right) / 2);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const axes = svgEl('g', { class: 'chart-axes' });
  // On a log y axis the chart works in log10 units: round values placed at their logs, or, over a
  // range too narrow to hold two of them, evenly spaced logs.
  const roundLogs = logY ? logTicks(10 ** y0, 10 ** y1).map(Math.log10) : [];
  const yTicks = roundLogs.length >= 2 ? roundLogs : linearTicks(y0, y1, 4);
  for (const t of yTicks) {
    axes.append(svgEl('line', { x1: PAD.left, x2: W - PAD.right, y1: sy(t), y2: sy(t), class: 'chart-grid' }));
    axes.append(svgEl('text', { x: PAD.left - 4, y: sy(t) + 4, 'text-anchor': 'end' }, tickLabel(logY ? 10 ** t : t)));
  }
  for (const t of linearTicks(x0, x1, 5)) {
    // A label at the right edge ends there instead of running off the chart.
    const anchor = sx(t) > W - PAD.right - 16 ? 'end' : 'middle';
    axes.append(
      svgEl(
        'text',
        { x: anchor === 'end' ? W - PAD.right : sx(t), y: H - PAD.bottom + 16, 'text-anchor': anchor },
        tickLabel(t),
      ),
    );
  }
  if (options.xLabel)
    axes.append(
      svgEl('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 5, 'text-anchor': 'middle' }, options.xLabel),
    );
  svg.append(axes);
  series.forEach((s, i) => {
    const colour = s.colour ?? (PALETTE[i % PALETTE.length] as string);
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      const v = y === null ? Number.NaN : tf(y);
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(Math.min(Math.max(v, y0), y1)).toFixed(1)}`;
      pen = true;
    }
    const path = svgEl('path', { d, fill: 'none', stroke: colour, 'stroke-width': 1.6 });
    path.append(svgEl('title', {}, s.label));
    svg.append(path);
    const lastPoint = s.points.length === 1 ? s.points[0] : undefined;
    if (lastPoint && lastPoint[1] !== null && Number.isFinite(tf(lastPoint[1]))) {
      svg.append(svgEl('circle', { cx: sx(lastPoint[0]), cy: sy(tf(lastPoint[1])), r: 2.5, fill: colour }));
    }
  });
}
