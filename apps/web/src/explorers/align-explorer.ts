/**
 * Align vs backprop, side by side (Boopathy & Fiete 2022): both runs train in a module worker in
 * lockstep; the page plots their loss and test metric live, and how the rule's update aligns with
 * the backprop gradient.
 */
import type { BackendRequest } from '@learnability/backends';
import { backendField, ensureExplorerStyle, fmt, selectField, showIssues, textField } from './dom.js';
import { h, PALETTE } from '../ui/dom.js';
import { ALIGN_TASK_IDS, ALIGN_TASKS, alignFormSchema, validateAlignForm } from './align-vs-backprop.js';
import type { AlignForm, AlignRequest, AlignUpdate } from './align-vs-backprop.js';
import { drawLegend, drawPlot } from './svg-plot.js';
import type { PlotSeries } from './svg-plot.js';
import { formDefaults } from './form-schema.js';
import { bindHashState } from './hash-state.js';
import { backendSpec, describeBackend, jobControls, startJob } from './worker-protocol.js';

function charts(updates: readonly AlignUpdate[], r: AlignRequest): HTMLElement {
  const pick = (f: (u: AlignUpdate) => number | null) => updates.map((u) => ({ x: u.step, y: f(u) }));
  const twoRuns = (f: (u: AlignUpdate) => { backprop: number | null; candidate: number | null }): PlotSeries[] => [
    { label: 'backprop', points: pick((u) => f(u).backprop) },
    { label: r.rule, points: pick((u) => f(u).candidate) },
  ];
  const mse = ALIGN_TASKS[r.task].metric === 'mse';
  const loss = twoRuns((u) => u.loss);
  const test = twoRuns((u) => (mse ? u.testError : u.testAccuracy));
  const alignment: PlotSeries[] = [
    {
      label: `cos(${r.rule} update, backprop gradient)`,
      points: pick((u) => u.gradientCosine),
      markers: true,
      color: PALETTE[2],
    },
    {
      label: 'cos(ΔWᵀΔW) with the backprop run',
      points: pick((u) => u.weightAlignment),
      markers: true,
      color: PALETTE[3],
    },
  ];
  const lowest = Math.min(0, ...updates.flatMap((u) => [u.gradientCosine ?? 0, u.weightAlignment ?? 0]));
  // From 0.4 (chance on ±1 targets is 0.5), lower where an accuracy is: drawPlot clamps to the range.
  const accuracyFloor = Math.min(0.4, ...test.flatMap((s) => s.points.flatMap((p) => (p.y === null ? [] : [p.y]))));
  const box = (series: PlotSeries[], svg: SVGSVGElement) => h('div', { class: 'plot' }, svg, drawLegend(series));
  return h(
    'div',
    { class: 'chart-grid-layout' },
    box(loss, drawPlot(loss, { title: 'training loss (MSE)', xLabel: 'step', logY: true })),
    box(
      test,
      drawPlot(
        test,
        mse
          ? { title: 'test MSE', xLabel: 'step', logY: true }
          : { title: 'test accuracy', xLabel: 'step', yRange: [accuracyFloor, 1] },
      ),
    ),
    box(alignment, drawPlot(alignment, { title: 'alignment with backprop', xLabel: 'step', yRange: [lowest, 1] })),
  );
}

function latestTable(u: AlignUpdate, r: AlignRequest): HTMLTableElement {
  const mse = ALIGN_TASKS[r.task].metric === 'mse';
  const row = (label: string, a: string, b: string) => h('tr', {}, h('td', {}, label), h('td', {}, a), h('td', {}, b));
  return h(
    'table',
    { class: 'explorer-table' },
    h('thead', {}, h('tr', {}, h('th', {}, `step ${u.step}`), h('th', {}, 'backprop'), h('th', {}, r.rule))),
    h(
      'tbody',
      {},
      row('training loss', fmt(u.loss.backprop), fmt(u.loss.candidate)),
      mse
        ? row('test MSE', fmt(u.testError.backprop), fmt(u.testError.candidate))
        : row('test accuracy', fmt(u.testAccuracy.backprop, 3), fmt(u.testAccuracy.candidate, 3)),
      row('cos(update, backprop gradient)', '1', fmt(u.gradientCosine, 3)),
      row('cos(ΔWᵀΔW) with backprop', '1', fmt(u.weightAlignment, 3)),
    ),
  );
}

export function mountAlignExplorer(root: HTMLElement): () => void {
  ensureExplorerStyle();
  const schema = alignFormSchema();
  const F = schema.fields;
  const d = formDefaults(schema);
  const task = selectField(
    'task',
    'task',
    F.task.values,
    d.task,
    F.task.values.map((t) => `${t}: ${ALIGN_TASKS[t].label}`).join('\n'),
  );
  const taskNote = h('p', { class: 'hint' }, ALIGN_TASKS[F.task.default].label);
  const rule = selectField('rule', 'rule', F.rule.values, d.rule, F.rule.doc);
  const gate = selectField('gate', 'Align-ada gate', F.gate.values, d.gate, F.gate.doc);
  const width = textField('width', 'width', d.width, F.width.doc);
  const lr = textField('lr', 'lr', d.lr, 'SGD learning rate, the same for both runs');
  const steps = textField('steps', 'steps', d.steps);
  const evalEvery = textField(
    'evalEvery',
    'eval every',
    d.evalEvery,
    'steps between evaluations (and alignment measurements)',
  );
  const seed = textField(
    'seed',
    'seed',
    d.seed,
    'θ₀ and data: both runs start from the same weights and see the same batches',
  );
  const backend = backendField();
  const fields = [task, rule, gate, width, lr, steps, evalEvery, seed, backend];
  const run = h('button', { type: 'button', class: 'primary' }, 'Train both');
  const stop = h('button', { type: 'button', disabled: true }, 'Stop');
  const formError = h('p', { class: 'error form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'status', 'data-state': 'idle' }, 'Pick a task and a rule, then Train both.');
  const adapter = h('p', { class: 'adapter' });
  const latest = h('div', { class: 'table-wrap' });
  const plots = h('div');

  const controls = h(
    'aside',
    { class: 'controls' },
    h('h2', {}, 'Align vs backprop'),
    h(
      'p',
      { class: 'hint' },
      "Align-zero and Align-ada (Boopathy & Fiete 2022) send the error back through the frozen initial network θ₀ instead of the current weights. Both runs start from the same θ₀ and see the same batches; MNIST is Node-only, so the lab offers the paper's recurrent add task and a small synthetic task.",
    ),
    h('div', { class: 'fields' }, ...fields.map((f) => f.row)),
    taskNote,
    h('div', { class: 'buttons' }, run, stop),
    formError,
  );
  const results = h('div', { class: 'results' }, status, adapter, latest, plots);
  root.replaceChildren(h('section', { class: 'explorer lab', 'data-explorer': 'align' }, controls, results));

  const syncGate = () => {
    gate.input.disabled = rule.input.value !== 'align-ada';
  };
  syncGate();
  rule.input.addEventListener('change', syncGate);
  task.input.addEventListener('change', () => {
    const id = ALIGN_TASK_IDS.find((t) => t === task.input.value);
    if (id === undefined) return;
    const fresh = formDefaults(alignFormSchema(id));
    [width.input.value, lr.input.value, steps.input.value, evalEvery.input.value] = [
      fresh.width,
      fresh.lr,
      fresh.steps,
      fresh.evalEvery,
    ];
    taskNote.textContent = ALIGN_TASKS[id].label;
  });

  const form = (): AlignForm => ({
    task: task.input.value,
    rule: rule.input.value,
    gate: gate.input.value,
    width: width.input.value,
    lr: lr.input.value,
    steps: steps.input.value,
    evalEvery: evalEvery.input.value,
    seed: seed.input.value,
  });
  const validate = () => {
    const { request, issues } = validateAlignForm(form());
    showIssues(fields, issues, formError);
    return request;
  };

  const job = jobControls(run, stop, status);
  const finish = job.finish;
  let updates: AlignUpdate[] = [];
  /** When the last update arrived (performance.now), for the wall time a step takes. */
  let lastUpdateAt: number | null = null;

  run.addEventListener('click', () => {
    const request = validate();
    if (!request) return;
    updates = [];
    lastUpdateAt = null;
    latest.replaceChildren();
    plots.replaceChildren();
    adapter.textContent = '';
    job.begin(`Training backprop and ${request.rule} for ${request.steps} steps…`, () => {
      const worker = new Worker(new URL('./align.worker.ts', import.meta.url), {
        type: 'module',
        name: 'learnability-align',
      });
      return startJob<AlignRequest, AlignUpdate>(worker, request, backendSpec(backend.input.value as BackendRequest), {
        backend: (info) => (adapter.textContent = `backend: ${describeBackend(info)}`),
        progress: (u) => {
          // The two runs share one worker: the wall time between two updates, over the steps between
          // them, covers both runs' steps and the alignment measures (a run's own msPerStep leaves
          // out the measures, which run in its checkpoint sink, and may leave out the other run).
          const now = performance.now();
          const previous = updates.at(-1);
          const ms = previous && lastUpdateAt !== null ? (now - lastUpdateAt) / (u.step - previous.step) : null;
          lastUpdateAt = now;
          updates.push(u);
          status.textContent = `step ${u.step} of ${request.steps}${ms === null ? '' : ` (${fmt(ms, 3)} ms per step, both runs and the alignment measures)`}`;
          latest.replaceChildren(latestTable(u, request));
          plots.replaceChildren(charts(updates, request));
        },
        done: () => {
          const last = updates[updates.length - 1];
          const ended =
            last &&
            (last.loss.backprop === null ||
              last.loss.candidate === null ||
              !Number.isFinite(last.loss.candidate) ||
              !Number.isFinite(last.loss.backprop));
          finish(
            last
              ? `Done at step ${last.step}${ended ? ' (a run diverged or stopped early: lower the lr)' : ''}.`
              : 'Done.',
            ended ? 'error' : 'done',
          );
        },
        error: (message) => finish(`Error: ${message}`, 'error'),
      });
    });
  });
  stop.addEventListener('click', () => {
    job.cancel();
    finish(`Stopped at step ${updates[updates.length - 1]?.step ?? 0}.`, 'idle');
  });
  for (const f of fields) f.input.addEventListener('change', validate);
  // A task resets the other fields to its own defaults when the link is opened: those are what a
  // field is left out of the link against (the task itself against the form's first one).
  const taskDefaults = () => {
    // An unknown task value gets the schema's own default task (d.task).
    const id = ALIGN_TASK_IDS.find((t) => t === task.input.value);
    return new Map([...Object.entries(formDefaults(alignFormSchema(id))), ['task', d.task]]);
  };
  bindHashState('align', controls, () => fields, formError, taskDefaults);
  return job.cancel;
}
