/**
 * The INAL explorer (Abbe et al. 2022; docs/papers.md §3): target × model × n → INAL, measured in a
 * module worker with @learnability/inal's estimator, drawn on log–log axes with the fitted slope
 * (the `learnability inal` command's fit).
 */
import type { BackendRequest } from '@learnability/backends';
import { MODELS } from '@learnability/presets';
import {
  backendField,
  ensureExplorerStyle,
  fmt,
  readSpecFields,
  selectField,
  showIssues,
  specFields,
  textField,
} from './dom.js';
import { h } from '../ui/dom.js';
import type { FormField } from './dom.js';
import { bindHashState } from './hash-state.js';
import { fitInalSlope } from '@learnability/inal';
import { formDefaults } from './form-schema.js';
import { INAL_FORM_SCHEMA, INAL_MODELS, validateInalForm } from './inal-series.js';
import type { InalPoint, InalRequest } from './inal-series.js';
import { drawLegend, drawPlot } from './svg-plot.js';
import type { PlotSeries } from './svg-plot.js';
import { backendSpec, describeBackend, jobControls, startJob } from './worker-protocol.js';

/** The explorer's first model: narrower than the CLI's width-1,000 default, so a tab answers in seconds. */
const DEFAULT_MODEL_OPTIONS: Record<string, unknown> = { widths: [256] };

export function mountInalExplorer(root: HTMLElement): () => void {
  ensureExplorerStyle();
  const defaults = formDefaults(INAL_FORM_SCHEMA);
  const { fields } = INAL_FORM_SCHEMA;
  const target = textField(
    'target',
    'target',
    'parity:1',
    'parity:<k>, majority[:<k>], staircase:<k>, junta:<k>, and:<k>, or:<k>, threshold:<k>:<t>, random:<k>, expr:<js>, table:<bits>; k may be n/2, sqrt(n), …',
  );
  const model = selectField('model', 'model', INAL_MODELS, 'dense', 'a vector-input model of the registry');
  const ns = textField('ns', 'n', defaults.ns, `input sizes, ${fields.ns.min}–${fields.ns.max}`);
  const inits = textField('inits', 'inits', defaults.inits, 'initialisations R');
  const samples = textField('samples', 'samples', defaults.samples, 'inputs per init when n is above the exact limit');
  const exact = textField(
    'exactMaxBits',
    'exact up to n',
    defaults.exactMaxBits,
    'enumerate all 2^n inputs up to this n',
  );
  const seed = textField('seed', 'seed', defaults.seed);
  const estimator = selectField(
    'estimator',
    'estimator',
    fields.estimator.values,
    defaults.estimator,
    'pooled: best layer average (INAL for i.i.d. layers); max: max over neurons, biased up',
  );
  const backend = backendField();
  const modelBox = h('div', { class: 'fields' });
  let modelFields: FormField[] = [];
  const renderModelFields = (values: Record<string, unknown>) => {
    const entry = MODELS[model.input.value];
    modelFields = entry ? specFields('model', entry.fields, values) : [];
    modelBox.replaceChildren(...modelFields.map((f) => f.row));
  };
  renderModelFields(DEFAULT_MODEL_OPTIONS);
  model.input.addEventListener('change', () => renderModelFields({}));

  const run = h('button', { type: 'button', class: 'primary' }, 'Measure');
  const stop = h('button', { type: 'button', disabled: true }, 'Stop');
  const formError = h('p', { class: 'error form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'status', 'data-state': 'idle' }, 'Choose a target and a model, then Measure.');
  const adapter = h('p', { class: 'adapter' });
  const plotBox = h('div');
  const table = h('table', { class: 'explorer-table' });
  const topFields = [target, model, ns, inits, samples, exact, seed, estimator, backend];

  const controls = h(
    'aside',
    { class: 'controls' },
    h('h2', {}, 'INAL explorer'),
    h(
      'p',
      { class: 'hint' },
      'INAL(f, NN) = max over neurons v of E_θ⁰[⟨f, NN_v⟩²] at initialisation (Abbe, Cornacchia, Hązła, Marquis 2022). A degree-k parity has INAL ~ n^−k for k ≤ 2; with zero biases (the default here) an odd parity of degree 3 or more has INAL exactly 0, and with N(0, 1/fan-in) biases a degree-3 one falls like n^−4. Negligible INAL means noisy GD cannot learn f.',
    ),
    h('div', { class: 'fields' }, ...topFields.slice(0, 2).map((f) => f.row)),
    h('h3', {}, 'model options'),
    modelBox,
    h('div', { class: 'fields' }, ...topFields.slice(2).map((f) => f.row)),
    h('div', { class: 'buttons' }, run, stop),
    formError,
  );
  const results = h('div', { class: 'results' }, status, adapter, plotBox, h('div', { class: 'table-wrap' }, table));
  root.replaceChildren(h('section', { class: 'explorer lab', 'data-explorer': 'inal' }, controls, results));

  let points: InalPoint[] = [];
  let current: InalRequest | null = null;

  const read = () =>
    validateInalForm({
      target: target.input.value,
      model: model.input.value,
      modelOptions: readSpecFields(modelFields, MODELS[model.input.value]?.fields ?? {}),
      ns: ns.input.value,
      inits: inits.input.value,
      samples: samples.input.value,
      exactMaxBits: exact.input.value,
      seed: seed.input.value,
      estimator: estimator.input.value,
    });

  const validate = () => {
    const { request, issues } = read();
    showIssues([...topFields, ...modelFields], issues, formError);
    return request;
  };

  const render = () => {
    const req = current;
    if (!req) return;
    const fit = fitInalSlope(points);
    const sorted = [...points].sort((a, b) => a.n - b.n);
    const series: PlotSeries[] = [
      {
        // The max's interval is its own neuron's, the neuron chosen for being highest: it sits too
        // high and does not cover INAL 95 % of the time (as the CLI's column says).
        label: `INAL (${req.estimator}), ${req.estimator === 'max' ? "95 % interval (that neuron's, after selection)" : '95 % interval'}`,
        points: sorted.map((p) => ({ x: p.n, y: p.inal, low: p.ciLow, high: p.ciHigh })),
        markers: true,
      },
    ];
    if (fit) {
      const [lo, hi] = [Math.min(...fit.ns), Math.max(...fit.ns)];
      const line = (n: number) => ({ x: n, y: Math.exp(fit.intercept) * n ** fit.slope });
      series.push({ label: `fit: INAL ∝ n^${fmt(fit.slope, 3)}`, points: [line(lo), line(hi)], dashed: true });
    }
    if (sorted.some((p) => p.closedForm !== null)) {
      series.push({
        label: 'closed form, one ReLU neuron',
        points: sorted.map((p) => ({ x: p.n, y: p.closedForm })),
        dashed: true,
        markers: true,
      });
    }
    const note = fit
      ? `slope ${fmt(fit.slope, 3)} [${fmt(fit.slopeLow, 3)}, ${fmt(fit.slopeHigh, 3)}] over n = ${fit.ns.join(', ')} (weighted)`
      : 'slope: fewer than two resolved points';
    plotBox.replaceChildren(
      h(
        'div',
        { class: 'plot' },
        drawPlot(series, {
          title: `INAL of ${req.target} on ${req.model.name}`,
          xLabel: 'n',
          yLabel: 'INAL',
          logX: true,
          logY: true,
          notes: [note],
        }),
        drawLegend(series),
      ),
    );
    const head = h(
      'tr',
      {},
      ...[
        'n',
        'method',
        'inputs',
        `INAL (${req.estimator})`,
        req.estimator === 'max' ? "95 % CI (that neuron's, after selection)" : '95 % CI',
        req.estimator === 'max' ? 'pooled' : 'max',
        'closed form',
        'argmax neuron',
        'time',
      ].map((t) => h('th', {}, t)),
    );
    const rows = sorted.map((p) =>
      h(
        'tr',
        {},
        ...[
          String(p.n),
          p.method,
          p.inputs.toLocaleString('en-US'),
          `${fmt(p.inal)}${p.resolved ? '' : '*'}`,
          `[${fmt(p.ciLow)}, ${fmt(p.ciHigh)}]`,
          fmt(p.other),
          fmt(p.closedForm),
          `L${p.argmax.layer}:${p.argmax.neuron}`,
          `${fmt(p.seconds, 2)} s`,
        ].map((t) => h('td', {}, t)),
      ),
    );
    table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
    if (points.some((p) => !p.resolved))
      table.append(
        h(
          'caption',
          { style: 'caption-side: bottom; text-align: left', class: 'hint' },
          '* no alignment detected (the layer-average interval reaches 0, or below float32 rounding); left out of the fit',
        ),
      );
  };

  const job = jobControls(run, stop, status);
  const finish = job.finish;

  run.addEventListener('click', () => {
    const request = validate();
    if (!request) return;
    points = [];
    current = request;
    plotBox.replaceChildren();
    table.replaceChildren();
    adapter.textContent = '';
    job.begin(`Measuring n = ${request.ns.join(', ')}…`, () => {
      const worker = new Worker(new URL('./inal.worker.ts', import.meta.url), {
        type: 'module',
        name: 'learnability-inal',
      });
      return startJob<InalRequest, InalPoint>(worker, request, backendSpec(backend.input.value as BackendRequest), {
        backend: (info) => (adapter.textContent = `backend: ${describeBackend(info)}`),
        progress: (p) => {
          points.push(p);
          status.textContent = `n = ${p.n}: INAL ${fmt(p.inal)} (${fmt(p.seconds, 2)} s)${points.length < request.ns.length ? '; measuring the next n…' : ''}`;
          render();
        },
        done: () => {
          const fit = fitInalSlope(points);
          finish(
            fit
              ? `Done: log–log slope of INAL vs n is ${fmt(fit.slope, 3)}, 95 % interval [${fmt(fit.slopeLow, 3)}, ${fmt(fit.slopeHigh, 3)}] (weighted, over n = ${fit.ns.join(', ')}).`
              : 'Done: fewer than two resolved points, so no slope.',
            'done',
          );
        },
        error: (message) => finish(`Error: ${message}`, 'error'),
      });
    });
  });
  stop.addEventListener('click', () => {
    job.cancel();
    finish(`Stopped after ${points.length} of ${current?.ns.length ?? 0} values of n.`, 'idle');
  });
  for (const f of topFields) f.input.addEventListener('change', validate);
  modelBox.addEventListener('change', validate);
  bindHashState('inal', controls, () => [...topFields.slice(0, 2), ...modelFields, ...topFields.slice(2)], formError);

  return job.cancel;
}
