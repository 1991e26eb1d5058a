/**
 * The live weight heatmap: |W| of replica 0's first dense layer, one row per hidden unit (the
 * first 64) and one column per input bit, the parity's bits S marked below. Each evaluation
 * redraws it from the worker's WeightMap, scaled to that map's largest |w|, so the support's
 * columns darken as the network finds them.
 */
import type { WeightMap } from '../lab/first-layer.js';
import { supportContrast } from '../lab/first-layer.js';
import { fmt } from '../lab/run-text.js';
import { heatColour, heatGradient } from './colour-scale.js';
import { h } from './dom.js';

/** Canvas size in pixels of the map (the marker row below it is extra). */
const MAP_W = 480;
const MAP_H = 192;
const MARK_H = 10;

export class WeightHeatmap {
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly scaleMax: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.canvas = h('canvas', {
      class: 'heatmap',
      role: 'img',
      'aria-label': 'first-layer weight magnitudes, hidden unit by input bit',
    });
    this.caption = h('p', { class: 'hint heatmap-caption' });
    this.scaleMax = h('span', {});
    const legend = h(
      'div',
      { class: 'heat-legend' },
      h('span', {}, '0'),
      h('i', { style: `background: ${heatGradient()}` }),
      this.scaleMax,
    );
    root.replaceChildren(
      h('h3', { class: 'panel-title' }, 'first-layer weights |w|: hidden unit × input bit (replica 0)'),
      this.canvas,
      legend,
      this.caption,
    );
    this.clear();
  }

  clear(): void {
    this.root.hidden = true;
    delete this.root.dataset['step'];
    delete this.root.dataset['contrast'];
  }

  update(map: WeightMap): void {
    const cellW = Math.max(1, Math.floor(MAP_W / map.inputs));
    const cellH = Math.max(1, Math.floor(MAP_H / map.units));
    const [w, hgt] = [cellW * map.inputs, cellH * map.units];
    this.canvas.width = w;
    this.canvas.height = hgt + MARK_H;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    let max = 0;
    for (const v of map.data) if (v > max) max = v;
    const image = ctx.createImageData(w, hgt);
    for (let y = 0; y < hgt; y++) {
      const unit = Math.floor(y / cellH);
      for (let x = 0; x < w; x++) {
        const v = map.data[unit * map.inputs + Math.floor(x / cellW)] ?? 0;
        const [r, g, b] = heatColour(max > 0 ? v / max : 0);
        const at = 4 * (y * w + x);
        image.data.set([r, g, b, 255], at);
      }
    }
    ctx.putImageData(image, 0, 0);
    ctx.clearRect(0, hgt, w, MARK_H);
    ctx.fillStyle = '#cf222e';
    for (const bit of map.support ?? []) {
      const cx = (bit + 0.5) * cellW;
      ctx.beginPath();
      ctx.moveTo(cx, hgt + 1);
      ctx.lineTo(cx - Math.max(3, cellW / 2), hgt + MARK_H);
      ctx.lineTo(cx + Math.max(3, cellW / 2), hgt + MARK_H);
      ctx.fill();
    }
    this.scaleMax.textContent = `${fmt(max)} (largest |w| now)`;
    const contrast = supportContrast(map);
    const units =
      map.units < map.totalUnits
        ? `the first ${map.units} of ${map.totalUnits} hidden units`
        : `all ${map.units} hidden units`;
    const support = map.support
      ? ` ▲ marks the parity's bits S = {${map.support.join(', ')}}; mean |w| on S is ${fmt(contrast)}× the rest.`
      : '';
    this.caption.textContent = `Step ${map.step}: rows are ${units}, columns input bits 0–${map.inputs - 1}.${support}`;
    this.root.dataset['step'] = String(map.step);
    if (contrast !== null) this.root.dataset['contrast'] = String(contrast);
    this.root.hidden = false;
  }
}
