/**
 * The run's live plots: loss, train and test accuracy of every replica, steps per second, and
 * each hidden-progress measure the eval events carry (‖θ − θ₀‖ and the task's own).
 */
import type { EvalEvent } from '@learnability/core';
import { PALETTE, svgEl } from './dom.js';
import { RUN_COLOUR, drawChart } from './line-chart.js';
import type { ChartOptions, Series } from './line-chart.js';
import { evalsAreRegression } from '../lab/run-text.js';

/** Per-replica series of one eval field. */
function perReplica(evals: readonly EvalEvent[], pick: (e: EvalEvent) => readonly (number | null)[]): Series[] {
  const replicas = Math.max(0, ...evals.map((e) => pick(e).length));
  return Array.from({ length: replicas }, (_, r) => ({
    label: `replica ${r}`,
    points: evals.map((e) => [e.step, pick(e)[r] ?? null] as const),
  }));
}

export interface ChartSpec {
  key: string;
  series: Series[];
  options: ChartOptions;
}

/** Chart specs for a list of evals, in display order. */
export function chartSpecs(evals: readonly EvalEvent[]): ChartSpec[] {
  // A regression's evaluations have no accuracy: its score is the test MSE, on a log axis.
  const regression = evalsAreRegression(evals);
  const scores: ChartSpec[] = regression
    ? [{ key: 'testError', series: perReplica(evals, (e) => e.testError), options: { title: 'test MSE', logY: true } }]
    : [
        {
          key: 'trainAccuracy',
          series: perReplica(evals, (e) => e.trainAccuracy),
          options: { title: 'train accuracy', yRange: [0, 1] as const },
        },
        {
          key: 'testAccuracy',
          series: perReplica(evals, (e) => e.testAccuracy),
          options: { title: 'test accuracy', yRange: [0, 1] as const },
        },
      ];
  const specs: ChartSpec[] = [
    { key: 'loss', series: perReplica(evals, (e) => e.loss), options: { title: 'training loss', logY: true } },
    ...scores,
    {
      key: 'stepsPerSecond',
      series: [
        {
          label: 'all replicas',
          points: evals.map((e) => [e.step, e.msPerStep > 0 ? 1000 / e.msPerStep : null] as const),
          colour: RUN_COLOUR,
        },
      ],
      options: { title: 'steps / s' },
    },
  ];
  const measures = [...new Set(evals.flatMap((e) => Object.keys(e.measures)))];
  for (const m of measures) {
    specs.push({
      key: `measure:${m}`,
      series: perReplica(evals, (e) => e.measures[m] ?? []),
      options: { title: measureTitle(m) },
    });
  }
  return specs.map((s) => ({ ...s, options: { ...s.options, xLabel: 'step' } }));
}

/**
 * Titles of the hidden-progress measures the loop and the tasks emit (Barak et al. 2022); short
 * enough for a phone-wide chart. A measure not listed here shows its name.
 */
const MEASURE_TITLES: Record<string, string> = {
  weightDistance: 'distance from init ‖θ − θ₀‖',
  subsetWeightShare: 'first-layer weight share on parity bits S',
};

/** A human title for the measure `name`. */
export function measureTitle(name: string): string {
  return MEASURE_TITLES[name] ?? `measure: ${name}`;
}

/** Keeps one SVG per chart key inside `root` and redraws them all from `evals`. */
export class RunPlots {
  private readonly charts = new Map<string, SVGSVGElement>();
  private readonly legend: HTMLElement;
  private readonly grid: HTMLElement;

  constructor(root: HTMLElement) {
    this.legend = document.createElement('div');
    this.legend.className = 'legend';
    this.grid = document.createElement('div');
    this.grid.className = 'chart-grid-layout';
    root.replaceChildren(this.legend, this.grid);
  }

  update(evals: readonly EvalEvent[]): void {
    const specs = chartSpecs(evals);
    const replicas = Math.max(0, ...evals.map((e) => e.loss.length));
    this.legend.replaceChildren(
      ...Array.from({ length: replicas }, (_, r) => {
        const item = document.createElement('span');
        item.innerHTML = `<i style="background:${PALETTE[r % PALETTE.length] ?? '#000'}"></i>replica ${r}`;
        return item;
      }),
    );
    const keys = new Set(specs.map((s) => s.key));
    for (const [key, svg] of this.charts) if (!keys.has(key)) svg.remove(), this.charts.delete(key);
    for (const spec of specs) {
      let svg = this.charts.get(spec.key);
      if (!svg) {
        svg = svgEl('svg', { class: 'chart', 'data-chart': spec.key });
        this.grid.append(svg);
        this.charts.set(spec.key, svg);
      }
      drawChart(svg, spec.series, spec.options);
    }
  }

  clear(): void {
    this.update([]);
  }
}
