import type { RunRecord } from '@learnability/experiment';
import type { TopLevelSpec } from 'vega-lite';
import { UsageError } from '../cli-error.js';
import { fittedLogAxis } from './log-axis.js';

const MEASURE_TITLES: Record<string, string> = {
  weightDistance: '‖θ − θ₀‖',
  subsetWeightShare: 'first-layer weight share on S',
};

/** The names stream learners go by in a record, and the words a figure uses for them. */
const LEARNER_TITLES: Record<string, string> = { 'gf2-elimination': 'GF(2) elimination' };

interface Point {
  step: number;
  replica: string;
  value: number;
}

/** run.batchSize and run.learnedThreshold from a record's start config (defaults when absent). */
function runOptionsOf(record: RunRecord): { batchSize: number; threshold: number } {
  const config = record.starts[0]?.config;
  const run =
    typeof config === 'object' && config !== null && 'run' in config ? (config as { run: unknown }).run : undefined;
  const get = (key: string, fallback: number) => {
    const v = typeof run === 'object' && run !== null && key in run ? (run as Record<string, unknown>)[key] : undefined;
    return typeof v === 'number' ? v : fallback;
  };
  return { batchSize: get('batchSize', 1), threshold: get('learnedThreshold', 0.99) };
}

const WIDTH = 560;
const HEIGHT = 220;
const x = { field: 'step', type: 'quantitative' as const, title: 'step' };
const color = { field: 'replica', type: 'nominal' as const, title: null };

/**
 * A vega-lite spec of a run record, one line per replica against step:
 * - training loss on a log axis fitted to the data, every decade it spans labelled;
 * - test accuracy with the learned threshold as a dashed line, a marker where each replica
 *   learned, and a vertical line where each stream learner (GF(2) elimination) learned, at
 *   samples / batch size (or test MSE for real-valued tasks);
 * - each hidden-progress measure (‖θ − θ₀‖, the weight share on a parity's hidden subset, …).
 */
export function recordSpec(record: RunRecord, title: string): TopLevelSpec {
  const { batchSize, threshold } = runOptionsOf(record);
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
  // One evaluation makes zero-length lines: points show it.
  const point = record.evals.length === 1;
  const line = (data: Point[], y: Record<string, unknown>) => ({
    data: { values: data },
    mark: { type: 'line' as const, strokeWidth: 1.5, point },
    encoding: { x, y: { field: 'value', type: 'quantitative' as const, ...y }, color },
  });
  const panel = (layer: object[]) => ({ width: WIDTH, height: HEIGHT, layer });

  if (loss.length === 0 && score.length === 0) {
    const diverged =
      record.end?.summary.status === 'diverged' ? `: the run diverged at step ${record.end.summary.steps}` : '';
    throw new UsageError(
      `plot: every loss and test score of the record is NaN or missing${diverged}; nothing finite to draw`,
    );
  }
  // A loss panel only where some loss is finite (its log axis is fitted to the values).
  const lossPanels =
    loss.length === 0
      ? []
      : [panel([line(loss, { title: 'training loss (log)', ...fittedLogAxis(loss.map((p) => p.value)) })])];

  const scoreLayers: object[] = [line(score, { title: sign ? 'test accuracy' : 'test MSE' })];
  if (sign) {
    // Where each replica learned: its test accuracy at that eval.
    const learned = record.learned
      .filter((l) => typeof l.learner === 'number')
      .map((l) => ({
        step: l.step,
        replica: `replica ${l.learner}`,
        value: record.evals.find((e) => e.step === l.step)?.testAccuracy[l.learner as number] ?? threshold,
      }));
    scoreLayers.push(
      {
        data: { values: [{ value: threshold, label: `target ${threshold}` }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#666' },
        encoding: { y: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: [{ value: threshold, label: `target ${threshold}` }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, x: 0, color: '#666', fontSize: 11 },
        encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
    if (learned.length) {
      scoreLayers.push({
        data: { values: learned },
        mark: { type: 'point', shape: 'diamond', size: 90, filled: true, stroke: 'black', strokeWidth: 0.8 },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color },
      });
    }
  }
  // Stream learners (GF(2) elimination): where they learned, on the step axis (samples / batch size).
  const streams = record.learned
    .filter((l) => typeof l.learner === 'string')
    .map((l) => ({
      step: l.samples / batchSize,
      label: `${LEARNER_TITLES[l.learner as string] ?? l.learner}: ${l.samples.toLocaleString('en-US')} samples`,
    }));
  if (streams.length) {
    scoreLayers.push(
      { data: { values: streams }, mark: { type: 'rule', color: '#b03a2e', strokeWidth: 1.5 }, encoding: { x } },
      {
        data: { values: streams },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, y: HEIGHT - 4, color: '#b03a2e', fontSize: 11 },
        encoding: { x, text: { field: 'label' } },
      },
    );
  }
  const scorePanel = panel(scoreLayers);

  const measureNames = [...new Set(record.evals.flatMap((e) => Object.keys(e.measures)))];
  const measurePanels = measureNames.map((name) => {
    const points: Point[] = [];
    for (const e of record.evals) {
      (e.measures[name] ?? []).forEach((v, r) => {
        if (v !== null && Number.isFinite(v)) points.push({ step: e.step, replica: `replica ${r}`, value: v });
      });
    }
    return panel([line(points, { title: MEASURE_TITLES[name] ?? name })]);
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    background: 'white',
    config: { axis: { labelFontSize: 12, titleFontSize: 13 }, legend: { labelFontSize: 12 } },
    vconcat: [...lossPanels, scorePanel, ...measurePanels],
    // One step axis for every panel: a stream learner's line near step 0 widened the score panel's
    // alone, so its steps no longer lined up with the loss panel's above it.
    resolve: { scale: { x: 'shared' } },
  } as TopLevelSpec;
}
