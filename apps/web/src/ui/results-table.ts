/**
 * The table beside the plots: each replica's latest loss and accuracies and when it learned (in
 * samples, its step below), and each stream learner (e.g. GF(2) elimination) once the run has
 * ended, with the samples it learned from.
 */
import type { EvalEvent, LearnedEvent, RunEvent, RunSummary } from '@learnability/core';
import { evalsAreRegression, fmt, learnedAtCell, trainsOnFiniteSet } from '../lab/run-text.js';
import { h } from './dom.js';

export function renderResultsTable(table: HTMLTableElement, events: readonly RunEvent[], summary?: RunSummary): void {
  const evals = events.filter((e): e is EvalEvent => e.type === 'eval');
  const last = evals[evals.length - 1];
  const learned = new Map<number | string, LearnedEvent>();
  for (const e of events) if (e.type === 'learned') learned.set(e.learner, e);
  const start = events.find((e) => e.type === 'start');
  const finiteSet = start !== undefined && trainsOnFiniteSet(start.config);
  // A cell of several lines (the learned-at cell) has a line break between them.
  const cell = (c: string | string[]) =>
    h('td', {}, ...(typeof c === 'string' ? [c] : c.flatMap((line, k) => (k === 0 ? [line] : [h('br'), line]))));
  const row = (...cells: (string | string[])[]) => h('tr', {}, ...cells.map(cell));
  // A regression has no accuracy: its score column is the test MSE.
  const regression = evalsAreRegression(last ? [last] : []);
  const rows = (last?.loss ?? []).map((loss, r) =>
    row(
      `replica ${r}`,
      fmt(loss, 4),
      fmt(last?.trainAccuracy[r]),
      regression ? fmt(last?.testError[r]) : fmt(last?.testAccuracy[r]),
      learnedAtCell(learned.get(r), finiteSet),
    ),
  );
  for (const l of summary?.learners ?? []) {
    const at = l.learnedAtSample === null ? undefined : { samples: l.learnedAtSample };
    rows.push(row(l.name, '–', '–', fmt(l.testAccuracy), learnedAtCell(at, finiteSet)));
  }
  if (rows.length === 0) {
    table.replaceChildren();
    return;
  }
  const head = h(
    'tr',
    {},
    ...[last ? `step ${last.step}` : '', 'loss', 'train acc', regression ? 'test MSE' : 'test acc', 'learned at'].map(
      (c) => h('th', {}, c),
    ),
  );
  table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
}
