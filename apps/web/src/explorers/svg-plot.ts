/**
 * A small SVG plot for the explorers: lines and markers, linear or log axes on x and y (log–log
 * for INAL vs n and parameters vs depth), optional error bars and dashed lines (a fitted slope),
 * and a legend. The scale maths is pure and tested; `drawPlot` builds the elements.
 */
import { PALETTE, svgEl } from '../ui/dom.js';
import { linearTicks, logTicks, tickLabel } from '../ui/ticks.js';

export interface PlotPoint {
  x: number;
  y: number | null;
  /** Error bar, drawn when both are finite (on a log axis: when both are > 0). */
  low?: number;
  high?: number;
}

export interface PlotSeries {
  label: string;
  points: readonly PlotPoint[];
  color?: string;
  dashed?: boolean;
  markers?: boolean;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  /** Fixed y range in data units. */
  yRange?: readonly [number, number];
  /** Lines of text under the title (e.g. the fitted slope). */
  notes?: readonly string[];
}

const W = 520;
const H = 280;
const PAD = { left: 68, right: 12, top: 30, bottom: 40 };

/** Maps data values to [0, 1] on a linear or log axis; values a log axis cannot show give NaN. */
export function axis(lo: number, hi: number, log: boolean): { at(v: number): number; lo: number; hi: number } {
  const t = (v: number) => (log ? (v > 0 ? Math.log10(v) : Number.NaN) : v);
  let [a, b] = [t(lo), t(hi)];
  if (!(b - a > 1e-12)) [a, b] = log ? [a - 0.5, b + 0.5] : [a - 0.5, b + 0.5];
  return { at: (v) => (t(v) - a) / (b - a), lo: a, hi: b };
}

/** The plot as an `<svg>` (class `chart`, the lab's chart style), scaled to its container. */
export function drawPlot(series: readonly PlotSeries[], o: PlotOptions): SVGSVGElement {
  const root = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': o.title });
  root.append(svgEl('text', { x: PAD.left, y: 16, class: 'chart-title' }, o.title));
  (o.notes ?? []).forEach((note, i) =>
    root.append(
      svgEl(
        'text',
        { x: W - PAD.right, y: 16 + 13 * i, 'text-anchor': 'end', class: 'chart-note', 'font-size': 11 },
        note,
      ),
    ),
  );
  const ok = (v: number | null | undefined, log: boolean | undefined): v is number =>
    v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0);
  const pts = series.flatMap((s) => s.points.filter((p) => ok(p.x, o.logX) && ok(p.y, o.logY)));
  if (pts.length === 0) {
    root.append(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'chart-empty' }, 'no data yet'));
    return root;
  }
  const ys = pts.flatMap((p) => [p.y as number, ...[p.low, p.high].filter((v): v is number => ok(v, o.logY))]);
  const xs = pts.map((p) => p.x);
  const ax = axis(Math.min(...xs), Math.max(...xs), o.logX ?? false);
  const ay = o.yRange
    ? axis(o.yRange[0], o.yRange[1], o.logY ?? false)
    : axis(Math.min(...ys), Math.max(...ys), o.logY ?? false);
  const sx = (v: number) => PAD.left + ax.at(v) * (W - PAD.left - PAD.right);
  const sy = (v: number) => H - PAD.bottom - Math.min(1.02, Math.max(-0.02, ay.at(v))) * (H - PAD.top - PAD.bottom);
  const g = svgEl('g', { class: 'chart-axes' });
  const yTicks = o.logY ? logTicks(10 ** ay.lo, 10 ** ay.hi) : linearTicks(ay.lo, ay.hi, 4);
  const xTicks = o.logX ? logTicks(10 ** ax.lo, 10 ** ax.hi) : linearTicks(ax.lo, ax.hi, 5);
  for (const t of yTicks) {
    g.append(svgEl('line', { x1: PAD.left, x2: W - PAD.right, y1: sy(t), y2: sy(t), class: 'chart-grid' }));
    g.append(svgEl('text', { x: PAD.left - 4, y: sy(t) + 4, 'text-anchor': 'end' }, tickLabel(t)));
  }
  for (const t of xTicks) {
    g.append(svgEl('line', { x1: sx(t), x2: sx(t), y1: PAD.top, y2: H - PAD.bottom, class: 'chart-grid' }));
    g.append(svgEl('text', { x: sx(t), y: H - PAD.bottom + 16, 'text-anchor': 'middle' }, tickLabel(t)));
  }
  g.append(
    svgEl(
      'text',
      { x: (PAD.left + W - PAD.right) / 2, y: H - 6, 'text-anchor': 'middle' },
      `${o.xLabel}${o.logX ? ' (log)' : ''}`,
    ),
  );
  if (o.yLabel)
    g.append(
      svgEl(
        'text',
        {
          x: 12,
          y: (PAD.top + H - PAD.bottom) / 2,
          'text-anchor': 'middle',
          transform: `rotate(-90 12 ${(PAD.top + H - PAD.bottom) / 2})`,
        },
        `${o.yLabel}${o.logY ? ' (log)' : ''}`,
      ),
    );
  root.append(g);
  series.forEach((s, i) => {
    const color = s.color ?? (PALETTE[i % PALETTE.length] as string);
    const group = svgEl('g', { 'data-series': s.label });
    group.append(svgEl('title', {}, s.label));
    let d = '';
    let pen = false;
    for (const p of s.points) {
      if (!ok(p.x, o.logX) || !ok(p.y, o.logY)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
      pen = true;
      if (ok(p.low, o.logY) && ok(p.high, o.logY))
        group.append(
          svgEl('line', {
            x1: sx(p.x),
            x2: sx(p.x),
            y1: sy(p.low),
            y2: sy(p.high),
            stroke: color,
            'stroke-width': 1.2,
          }),
        );
      if (s.markers) group.append(svgEl('circle', { cx: sx(p.x), cy: sy(p.y), r: 3, fill: color }));
    }
    group.append(
      svgEl('path', {
        d,
        fill: 'none',
        stroke: color,
        'stroke-width': 1.6,
        ...(s.dashed ? { 'stroke-dasharray': '5 4' } : {}),
      }),
    );
    root.append(group);
  });
  return root;
}

/** A legend row for `series` in the lab's `.legend` style. */
export function drawLegend(series: readonly PlotSeries[]): HTMLElement {
  const legend = document.createElement('div');
  legend.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = s.color ?? (PALETTE[i % PALETTE.length] as string);
    if (s.dashed) swatch.style.opacity = '0.6';
    item.append(swatch, s.label);
    legend.append(item);
  });
  return legend;
}
