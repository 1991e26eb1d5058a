/**
 * The parameter-count explorer: dense MLP vs RCNN vs standard and looped transformers, each built
 * from the project's presets and counted from its initialised parameter shapes in a module
 * worker. Tables per comparison, and log–log plots of parameters vs n and vs depth.
 */
import type { BackendRequest } from '@learnability/backends';
import { backendField, count, ensureExplorerStyle, showIssues, textField } from './dom.js';
import { h } from '../ui/dom.js';
import { bindHashState } from './hash-state.js';
import { formDefaults } from './form-schema.js';
import { PARAM_FORM_SCHEMA, validateParamForm } from './param-counts.js';
import type { CountRow, ModelCount, ParamForm, ParamProgress, ParamRequest } from './param-counts.js';
import { drawLegend, drawPlot } from './svg-plot.js';
import type { PlotSeries } from './svg-plot.js';
import { backendSpec, describeBackend, jobControls, startJob } from './worker-protocol.js';

/** A count cell: the total, with a flag when it differs from what the model declares. */
function totalCell(c: ModelCount): HTMLElement {
  const cell = h(
    'td',
    {
      title: `input ${count(c.byRole.input)} + core ${count(c.byRole.core)} + output ${count(c.byRole.output)}; ${c.tensors.map((t) => `${t.name} [${t.shape.join('×')}]`).join(', ')}`,
    },
    count(c.total),
  );
  if (c.total !== c.declared) cell.append(h('span', { class: 'mismatch' }, ` ≠ declared ${count(c.declared)}`));
  return cell;
}

/** Extra columns after the totals: a heading and the part of one model's count it shows. */
interface PartColumn {
  heading: string;
  model: number;
  value(c: ModelCount): number;
}

function rowsTable(xLabel: string, rows: readonly CountRow[], parts: readonly PartColumn[]): HTMLTableElement {
  const models = rows[0]?.counts ?? [];
  const head = h(
    'tr',
    {},
    h('th', {}, xLabel),
    ...models.map((m) => h('th', {}, shortLabel(m))),
    ...parts.map((p) => h('th', {}, p.heading)),
  );
  const body = rows.map((r) =>
    h(
      'tr',
      {},
      h('td', {}, String(r.x)),
      ...r.counts.map(totalCell),
      ...parts.map((p) => h('td', {}, r.counts[p.model] ? count(p.value(r.counts[p.model] as ModelCount)) : '–')),
    ),
  );
  return h('table', { class: 'explorer-table' }, h('thead', {}, head), h('tbody', {}, ...body));
}

const shortLabel = (m: ModelCount) => m.label.replace(/ \(.*$/, '');

function rowsPlot(title: string, xLabel: string, rows: readonly CountRow[]): HTMLElement {
  const models = rows[0]?.counts ?? [];
  const series: PlotSeries[] = models.map((m, i) => ({
    label: shortLabel(m),
    points: rows.map((r) => ({ x: r.x, y: r.counts[i]?.total ?? null })),
    markers: true,
  }));
  return h(
    'div',
    { class: 'plot' },
    drawPlot(series, { title, xLabel, yLabel: 'parameters', logX: true, logY: true }),
    drawLegend(series),
  );
}

export function mountParamsExplorer(root: HTMLElement): () => void {
  ensureExplorerStyle();
  const d = formDefaults(PARAM_FORM_SCHEMA);
  const F = PARAM_FORM_SCHEMA.fields;
  const fields = {
    ns: textField('ns', 'n (parity bits)', d.ns, `${F.ns.doc}, ${F.ns.min}–${F.ns.max}`),
    depths: textField('depths', 'depths', d.depths, `${F.depths.doc}; ${F.depths.min}–${F.depths.max}`),
    depthN: textField('depthN', 'n at depth', d.depthN, F.depthN.doc),
    denseWidth: textField('denseWidth', 'MLP width', d.denseWidth, F.denseWidth.doc),
    channels: textField('channels', 'RCNN channels', d.channels, `${F.channels.doc} (rcnn-parity: ${d.channels})`),
    embedSize: textField(
      'embedSize',
      'transformer D',
      d.embedSize,
      `${F.embedSize.doc}, divisible by the presets' heads (the small presets: ${d.embedSize})`,
    ),
  };
  const backend = backendField();
  const all = [...Object.values(fields), backend];
  const run = h('button', { type: 'button', class: 'primary' }, 'Count');
  const formError = h('p', { class: 'error form-error', role: 'alert', hidden: true });
  const status = h(
    'p',
    { class: 'status', 'data-state': 'idle' },
    'Press Count: every model is built from its preset and initialised once.',
  );
  const adapter = h('p', { class: 'adapter' });
  const byN = h('div');
  const byDepth = h('div');
  const paper = h('div');

  const controls = h(
    'aside',
    { class: 'controls' },
    h('h2', {}, 'Parameter counts'),
    h(
      'p',
      { class: 'hint' },
      "Dense MLP vs RCNN (Goel et al. 2022: one filter shared across width and depth) vs looped transformer (Yang et al. 2023: one block run b times) and its unlooped baseline. Counted from each model's initialised parameter shapes (presets sparse-parity, rcnn-parity, standard-/looped-linear-regression-small and the paper-scale pair).",
    ),
    h('div', { class: 'fields' }, ...all.map((f) => f.row)),
    h('div', { class: 'buttons' }, run),
    formError,
  );
  const results = h('div', { class: 'results' }, status, adapter, byN, byDepth, paper);
  root.replaceChildren(h('section', { class: 'explorer lab', 'data-explorer': 'params' }, controls, results));

  const form = (): ParamForm => ({
    ns: fields.ns.input.value,
    depths: fields.depths.input.value,
    depthN: fields.depthN.input.value,
    denseWidth: fields.denseWidth.input.value,
    channels: fields.channels.input.value,
    embedSize: fields.embedSize.input.value,
  });
  const validate = () => {
    const { request, issues } = validateParamForm(form());
    showIssues(all, issues, formError);
    return request;
  };
  const job = jobControls(run, null, status);
  const finish = job.finish;

  let checked = 0;
  let mismatched = 0;
  const show = (item: ParamProgress) => {
    for (const c of item.table === 'paper' ? item.counts : item.rows.flatMap((r) => r.counts)) {
      checked++;
      if (c.total !== c.declared) mismatched++;
    }
    if (item.table === 'n') {
      byN.replaceChildren(
        h('h3', {}, 'vs input size n (sparse parity, as in docs/reproductions/rcnn.md)'),
        h(
          'p',
          { class: 'hint' },
          "Only the RCNN's dense first layer grows with n; its filter and readout are the same at every n and every depth T = n + 1.",
        ),
        h(
          'div',
          { class: 'table-wrap' },
          rowsTable('n', item.rows, [
            { heading: 'RCNN: first layer', model: 1, value: (c) => c.byRole.input },
            { heading: 'RCNN: filter + readout', model: 1, value: (c) => c.byRole.core + c.byRole.output },
          ]),
        ),
        rowsPlot('parameters vs n', 'n', item.rows),
      );
    } else if (item.table === 'depth') {
      byDepth.replaceChildren(
        h('h3', {}, 'vs depth (layers, unroll steps T, loops b)'),
        h(
          'p',
          { class: 'hint' },
          "Weight sharing across depth: the RCNN and the looped transformer keep one set of weights however deep they run; the MLP and the standard transformer add a layer's weights per unit of depth.",
        ),
        h(
          'div',
          { class: 'table-wrap' },
          rowsTable('depth', item.rows, [
            { heading: 'MLP: hidden→hidden', model: 0, value: (c) => c.byRole.core },
            { heading: 'RCNN: shared filter', model: 1, value: (c) => c.byRole.core },
            { heading: 'standard: blocks', model: 2, value: (c) => c.byRole.core },
            { heading: 'looped: blocks', model: 3, value: (c) => c.byRole.core },
          ]),
        ),
        rowsPlot('parameters vs depth', 'depth', item.rows),
      );
    } else {
      const [standard, looped] = item.counts;
      paper.replaceChildren(
        h('h3', {}, 'paper scale (Yang et al. 2023: D = 256, 8 heads, d = 20)'),
        h(
          'table',
          { class: 'explorer-table' },
          h('thead', {}, h('tr', {}, ...['model', 'blocks', 'whole model'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            ...item.counts.map((c) =>
              h('tr', {}, h('td', {}, c.label), h('td', {}, count(c.byRole.core)), totalCell(c)),
            ),
          ),
        ),
        h(
          'p',
          { class: 'hint' },
          standard && looped
            ? `Blocks: ${(standard.byRole.core / 1e6).toFixed(2)}M vs ${(looped.byRole.core / 1e6).toFixed(2)}M (the paper reports 9.48M and 0.79M); the whole looped model has ${(looped.total / standard.total).toFixed(3)} of the standard one's parameters.`
            : '',
        ),
      );
    }
  };

  run.addEventListener('click', () => {
    const request = validate();
    if (!request) return;
    [checked, mismatched] = [0, 0];
    byN.replaceChildren();
    byDepth.replaceChildren();
    paper.replaceChildren();
    adapter.textContent = '';
    job.begin('Building and initialising the models…', () => {
      const worker = new Worker(new URL('./params.worker.ts', import.meta.url), {
        type: 'module',
        name: 'learnability-params',
      });
      return startJob<ParamRequest, ParamProgress>(
        worker,
        request,
        backendSpec(backend.input.value as BackendRequest),
        {
          backend: (info) => (adapter.textContent = `backend: ${describeBackend(info)}`),
          progress: show,
          done: () =>
            finish(
              mismatched === 0
                ? `Done: ${checked} models counted from their initialised parameters; every count equals the model's declared paramCount.`
                : `Done: ${checked} models counted; ${mismatched} differ from their declared paramCount (flagged in red).`,
              mismatched === 0 ? 'done' : 'error',
            ),
          error: (message) => finish(`Error: ${message}`, 'error'),
        },
      );
    });
  });
  for (const f of all) f.input.addEventListener('change', validate);
  bindHashState('params', controls, () => all, formError);
  return job.cancel;
}
