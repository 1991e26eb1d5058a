/**
 * The table beside the plots: each replica's latest loss and accuracies and the step it learned
 * at, and each stream learner (e.g. GF(2) elimination) once the run has ended.
 */
import type { EvalEvent, RunEvent, RunSummary } from '@learnability/core';
import { evalsAreRegression, fmt } from '../lab/run-text.js';
import { h } from './dom.js';

export function renderResultsTable(table: HTMLTableElement, events: readonly RunEvent[], summary?: RunSummary): void {
  const evals = events.filter((e): e is EvalEvent => e.type === 'eval');
  const last = evals[evals.length - 1];
  const learnedAt = new Map<number | string, number>();
  for (const e of events) if (e.type === 'learned') learnedAt.set(e.learner, e.step);
  const row = (...cells: string[]) => h('tr', {}, ...cells.map((c) => h('td', {}, c)));
  // A regression has no accuracy: its score column is the test MSE.
  const regression = evalsAreRegression(last ? [last] : []);
  const rows = (last?.loss ?? []).map((loss, r) =>
    row(
      `replica ${r}`,
      fmt(loss, 4),
      fmt(last?.trainAccuracy[r]),
      regression ? fmt(last?.testError[r]) : fmt(last?.testAccuracy[r]),
      String(learnedAt.get(r) ?? '–'),
    ),
  );
  for (const l of summary?.learners ?? []) {
    rows.push(
      row(l.name, '–', '–', fmt(l.testAccuracy), l.learnedAtSample === null ? '–' : `${l.learnedAtSample} samples`),
    );
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
