import type { RunEvent } from '@learnability/core';
import { parseRecord } from '@learnability/experiment';
import type { SweepAggregate } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { aggregateSpec } from '../sweep/render-sweep.js';
import { renderSvg } from './plot.js';
import { recordSpec } from './record-spec.js';

/** A two-replica record: replica 1 learns at step 200, replica 0 never; GF(2) learns from 40 samples. */
function record() {
  const evals = [100, 200, 300].map((step, i) => ({
    type: 'eval' as const,
    step,
    samplesSeen: step * 32,
    loss: [0.9, [0.5, 0.04, 0.03][i] as number],
    trainAccuracy: [0.5, 1],
    testAccuracy: [0.5, [0.8, 0.995, 1][i] as number],
    testError: [0.5, 0],
    msPerStep: 1,
    measures: {},
    elapsedSeconds: step / 100,
  }));
  const events: RunEvent[] = [
    {
      type: 'start',
      runId: 'r',
      config: { run: { batchSize: 32, learnedThreshold: 0.99 } },
      backend: 'cpu',
      replicas: 2,
      paramCount: 10,
      totalSteps: 300,
      startStep: 0,
      versions: {},
    },
    { type: 'learned', learner: 'gf2-elimination', step: 2, samples: 40 },
    ...evals.slice(0, 2),
    { type: 'learned', learner: 1, step: 200, samples: 6400 },
    ...evals.slice(2),
  ];
  return parseRecord(events.map((e) => JSON.stringify(e)).join('\n'));
}

/** A spec as the plain JSON it is, to read its fields. */
const plain = (spec: object): unknown => JSON.parse(JSON.stringify(spec));

interface Layer {
  data: { values: Record<string, unknown>[] };
  mark: { type: string };
  encoding: { y?: { scale?: { domain?: number[] }; axis?: { values: number[] } } };
}
interface Panel {
  layer: Layer[];
}

describe('the run plot', () => {
  const spec = plain(recordSpec(record(), 'r')) as { vconcat: Panel[] };
  const [loss, score] = spec.vconcat as [Panel, Panel];

  it('fits the loss axis to the data and labels the decades inside it', () => {
    const y = loss.layer[0]?.encoding.y;
    expect(y?.scale?.domain?.[0]).toBeCloseTo(0.03 / 1.15, 12);
    expect(y?.scale?.domain?.[1]).toBeCloseTo(0.9 * 1.15, 12);
    expect(y?.axis?.values).toEqual([0.1, 1]);
  });

  it('marks the 0.99 target, where each replica learned, and where GF(2) elimination learned', () => {
    const byMark = (type: string) => score.layer.filter((l) => l.mark.type === type).map((l) => l.data.values);
    expect(byMark('rule')).toContainEqual([{ value: 0.99, label: 'target 0.99' }]);
    expect(byMark('point')).toEqual([[{ step: 200, replica: 'replica 1', value: 0.995 }]]);
    expect(byMark('rule')).toContainEqual([{ step: 40 / 32, label: 'GF(2) elimination: 40 samples' }]);
  });

  it('gives every panel one step axis, so their steps line up', () => {
    // Vega makes one scale "x" for all the panels when they share it, one per panel otherwise.
    const vega = compile(recordSpec(record(), 'r')).spec;
    const scales = [
      ...(vega.scales ?? []),
      ...(vega.marks ?? []).flatMap((m) => ('scales' in m ? (m.scales ?? []) : [])),
    ];
    expect(scales.map((sc) => sc.name).filter((name) => name.endsWith('x'))).toEqual(['x']);
  });

  it('renders to SVG with the labels in it', async () => {
    const svg = await renderSvg(recordSpec(record(), 'r'));
    expect(svg).toContain('GF(2) elimination: 40 samples');
    expect(svg).toContain('target 0.99');
  });
});

describe('the run plot of a short or diverged run', () => {
  /** The record above cut to its first `evals` evaluations, every loss and score `value` (NaN: a diverged run). */
  const cut = (evals: number, value: number) => {
    const r = record();
    r.evals = r.evals.slice(0, evals).map((e) => ({
      ...e,
      loss: e.loss.map(() => value),
      testAccuracy: e.testAccuracy.map(() => value),
      testError: e.testError.map(() => value),
    }));
    return r;
  };

  it('draws one evaluation as points, where its lines would have no length', async () => {
    const spec = plain(recordSpec(cut(1, 0.5), 'r')) as { vconcat: Panel[] };
    expect(spec.vconcat[0]?.layer[0]?.mark).toMatchObject({ type: 'line', point: true });
    const full = plain(recordSpec(record(), 'r')) as { vconcat: Panel[] };
    expect(full.vconcat[0]?.layer[0]?.mark).toMatchObject({ type: 'line', point: false });
  });

  it('refuses a record with nothing finite in one line, instead of an unbounded figure', () => {
    const nothing = cut(1, Number.NaN);
    nothing.end = { type: 'end', summary: { status: 'diverged', steps: 20 } } as typeof nothing.end;
    expect(() => recordSpec(nothing, 'r')).toThrow(
      'plot: every loss and test score of the record is NaN or missing: the run diverged at step 20; nothing finite to draw',
    );
  });
});

describe('the sweep plot', () => {
  it('labels every decade its y axis spans and each x value of the grid', () => {
    const group = (n: number, step: number) => ({
      values: { 'task.n': n },
      jobs: 1,
      learned: 1,
      diverged: 0,
      successRate: 1,
      medianLearnedAtStep: step,
      medianWallSeconds: 1,
      meanTestAccuracy: 1,
      medianTestError: 0,
    });
    const groups = [group(10, 300), group(20, 4000), group(40, 60_000)];
    const a: SweepAggregate = { sweep: 's', jobs: 3, groups, byAxis: { 'task.n': groups } };
    const spec = plain(aggregateSpec(a)) as {
      encoding: { x: { axis: { values: number[] } }; y: { axis: { values: number[] } } };
    };
    expect(spec.encoding.x.axis.values).toEqual([10, 20, 40]);
    expect(spec.encoding.y.axis.values).toEqual([1000, 10_000]);
  });

  it('says why it draws nothing: no cell learned, or no numeric axis', () => {
    const group = (n: number | string) => ({
      values: { 'task.n': n },
      jobs: 1,
      learned: 0,
      diverged: 0,
      successRate: 0,
      medianLearnedAtStep: null,
      medianWallSeconds: 1,
      meanTestAccuracy: 0.5,
      medianTestError: 0.5,
    });
    const none = [group(10), group(20)];
    // A log axis over no points made a 1.8e308-pixel-wide SVG.
    expect(aggregateSpec({ sweep: 's', jobs: 2, groups: none, byAxis: { 'task.n': none } })).toEqual({
      skipped: 'no cell learned, so there is no learned-at-step to draw',
    });
    const named = [group('a')];
    expect(aggregateSpec({ sweep: 's', jobs: 1, groups: named, byAxis: { 'task.n': named } })).toEqual({
      skipped: 'no numeric axis with every value > 0 to put on the log x axis',
    });
  });
});
