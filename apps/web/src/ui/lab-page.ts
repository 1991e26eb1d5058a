/**
 * The lab: pick a preset or edit its config, pick a backend, run it in a worker and watch the
 * plots; stop, continue, download the record, load one to re-plot. The URL mirrors the config.
 */
import { listBackends } from '@learnability/backends';
import type { BackendStatus } from '@learnability/backends';
import type { EvalEvent, RunEvent } from '@learnability/core';
import { getPreset, PRESETS } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { chooseBackend } from '../lab/backend-choice.js';
import { browserBlocker } from '../lab/browser-support.js';
import { loadRecordText, recordFileName, recordText } from '../lab/record-file.js';
import { describeAdapter, describeBackend, evalLine, runIdFor, summaryLine } from '../lab/run-text.js';
import { DEFAULT_PRESET, LAB_BACKENDS, labQuery, overridesFrom, parseLabQuery } from '../lab/url-state.js';
import type { LabBackend, LabState } from '../lab/url-state.js';
import { ConfigEditor } from './config-editor.js';
import { byId, h } from './dom.js';
import { RunPlots } from './run-plots.js';
import { renderResultsTable } from './results-table.js';
import { RunController } from './run-controller.js';

export function mountLab(root: HTMLElement): void {
  const el = {
    urlError: byId(document, 'url-error', HTMLParagraphElement),
    preset: byId(root, 'preset', HTMLSelectElement),
    presetDescription: byId(root, 'preset-description', HTMLParagraphElement),
    backend: byId(root, 'backend', HTMLSelectElement),
    backendNotice: byId(root, 'backend-notice', HTMLParagraphElement),
    editor: byId(root, 'editor', HTMLDivElement),
    run: byId(root, 'run', HTMLButtonElement),
    stop: byId(root, 'stop', HTMLButtonElement),
    cont: byId(root, 'continue', HTMLButtonElement),
    download: byId(root, 'download', HTMLButtonElement),
    load: byId(root, 'load-record', HTMLInputElement),
    recordError: byId(root, 'record-error', HTMLParagraphElement),
    share: byId(root, 'share-link', HTMLAnchorElement),
    status: byId(root, 'run-status', HTMLParagraphElement),
    adapter: byId(root, 'adapter', HTMLParagraphElement),
    latest: byId(root, 'latest', HTMLTableElement),
    plots: byId(root, 'plots', HTMLDivElement),
  };

  const parsed = parseLabQuery(location.search);
  if (!parsed.ok) {
    el.urlError.textContent = parsed.error;
    el.urlError.hidden = false;
  }
  let state: LabState = parsed.ok ? parsed.state : { preset: DEFAULT_PRESET, config: structuredClone(getPreset(DEFAULT_PRESET).config), backend: null };
  let valid: ResolvedConfig | null = null;
  let webgpu: BackendStatus | null = null;
  let evalsToDraw: EvalEvent[] = [];
  let drawPending = false;

  const plots = new RunPlots(el.plots);
  plots.clear();

  // A bad URL stays in the address bar, with its error, until the user changes something.
  let urlOwned = parsed.ok;
  const syncUrl = (): void => {
    const query = labQuery(state);
    el.share.href = `${location.pathname}${query}`;
    if (!urlOwned) return;
    el.urlError.hidden = true;
    history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
  };

  const blocker = (): string | null => browserBlocker(state.config);
  const refreshButtons = (): void => {
    const running = controller.running;
    el.run.disabled = running || valid === null || blocker() !== null;
    el.run.title = valid === null ? 'fix the config errors first' : (blocker() ?? '');
    el.stop.disabled = !running;
    el.cont.disabled = running || !controller.canContinue;
    el.download.disabled = controller.events.length === 0;
    el.preset.disabled = running;
    el.backend.disabled = running;
    el.load.disabled = running;
  };

  const setStatus = (state_: string, text: string, data: Record<string, string> = {}): void => {
    el.status.dataset['state'] = state_;
    for (const [k, v] of Object.entries(data)) el.status.dataset[k] = v;
    el.status.textContent = text;
  };

  const scheduleDraw = (events: readonly RunEvent[]): void => {
    evalsToDraw = events.filter((e): e is EvalEvent => e.type === 'eval');
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      plots.update(evalsToDraw);
    });
  };

  const controller = new RunController({
    backend(info) {
      el.adapter.textContent = describeBackend(info);
      el.adapter.dataset['backend'] = info.name;
      el.adapter.dataset['vendor'] = info.adapter?.vendor ?? '';
      el.adapter.dataset['architecture'] = info.adapter?.architecture ?? '';
    },
    event(e, all) {
      if (e.type === 'eval') {
        const total = all.find((x) => x.type === 'start')?.totalSteps ?? e.step;
        setStatus('running', evalLine(e, el.adapter.dataset['backend'] ?? '', total), {
          step: String(e.step),
          testAccuracy: JSON.stringify(e.testAccuracy),
        });
        renderResultsTable(el.latest, all);
        scheduleDraw(all);
      }
      refreshButtons();
    },
    done(summary) {
      setStatus(summary.status, summaryLine(summary), { step: String(summary.steps) });
      renderResultsTable(el.latest, controller.events, summary);
      scheduleDraw(controller.events);
      refreshButtons();
    },
    error(message) {
      setStatus('error', `error: ${message}`);
      refreshButtons();
    },
  });

  const showBackendNotice = (): void => {
    if (webgpu === null) return;
    const notices = chooseBackend(state.backend, webgpu, crossOriginIsolated).notices;
    el.backendNotice.textContent = notices.join(' · ');
    el.backendNotice.hidden = notices.length === 0;
  };

  const editor = new ConfigEditor(el.editor, ({ raw, valid: v, edited }) => {
    valid = v;
    if (edited) urlOwned = true;
    if (raw !== null) {
      state = { ...state, config: raw };
      syncUrl();
    }
    const why = raw === null ? null : blocker();
    el.presetDescription.textContent = describePreset(state) + (why ? ` — cannot run in a browser: ${why}` : '');
    refreshButtons();
  });

  // ---- preset and backend pickers ----
  const custom = h('option', { value: '' }, '(custom config)');
  el.preset.replaceChildren(custom, ...PRESETS.map((p) => h('option', { value: p.name }, p.name)));
  el.preset.value = state.preset ?? '';
  el.preset.addEventListener('change', () => {
    if (el.preset.value === '') return;
    urlOwned = true;
    state = { ...state, preset: el.preset.value, config: structuredClone(getPreset(el.preset.value).config) };
    editor.set(state.config);
  });
  el.backend.value = state.backend ?? 'wasm';
  el.backend.addEventListener('change', () => {
    urlOwned = true;
    state = { ...state, backend: el.backend.value as LabBackend };
    syncUrl();
    showBackendNotice();
  });
  void listBackends().then((statuses) => {
    webgpu = statuses.find((s) => s.name === 'webgpu') ?? { name: 'webgpu', available: false, reason: 'not probed' };
    const choice = chooseBackend(state.backend, webgpu, crossOriginIsolated);
    if (!controller.running) el.backend.value = choice.backend;
    if (webgpu.adapter && !el.adapter.dataset['backend']) el.adapter.textContent = `WebGPU adapter here: ${describeAdapter(webgpu.adapter)}`;
    el.backend.dataset['ready'] = 'true';
    showBackendNotice();
  });

  // ---- run, stop, continue ----
  el.run.addEventListener('click', () => {
    if (!valid || controller.running) return;
    const { backend: _ignored, ...config } = state.config;
    const backend = el.backend.value as LabBackend;
    if (!LAB_BACKENDS.includes(backend)) return;
    el.recordError.hidden = true;
    plots.clear();
    el.latest.replaceChildren();
    controller.start({ runId: runIdFor(state.preset ?? 'config', valid.run.seed), config, backend });
    setStatus('starting', `starting on ${backend}…`, { step: '0', testAccuracy: '[]' });
    refreshButtons();
  });
  el.stop.addEventListener('click', () => {
    controller.stop();
    setStatus('stopping', 'stopping at the next evaluation…');
    el.stop.disabled = true;
  });
  el.cont.addEventListener('click', () => {
    controller.continue();
    setStatus('starting', 'continuing from the checkpoint…');
    refreshButtons();
  });

  // ---- record download and load ----
  el.download.addEventListener('click', () => {
    const id = controller.recordId ?? 'run';
    const url = URL.createObjectURL(new Blob([recordText(controller.events)], { type: 'application/jsonl' }));
    const a = h('a', { href: url, download: recordFileName(id) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  el.load.addEventListener('change', () => {
    const file = el.load.files?.[0];
    el.load.value = '';
    if (!file) return;
    void file.text().then((text) => {
      const loaded = loadRecordText(text, file.name);
      if (!loaded.ok) {
        el.recordError.textContent = `cannot load ${file.name}: ${loaded.error}`;
        el.recordError.hidden = false;
        return;
      }
      el.recordError.hidden = true;
      const { record: r, events } = loaded;
      controller.load(events, r.starts[0]?.runId ?? file.name.replace(/\.jsonl$/, ''));
      const start = r.starts[0];
      setStatus('loaded', `loaded ${file.name}: ${r.evals.length} evaluations of ${start?.replicas ?? '?'} replica(s) on ${start?.backend ?? '?'}, ${r.end ? r.end.summary.status : 'no end line (the run was cut off)'}`, {
        step: String(r.evals[r.evals.length - 1]?.step ?? 0),
        testAccuracy: JSON.stringify(r.evals[r.evals.length - 1]?.testAccuracy ?? []),
      });
      renderResultsTable(el.latest, events, r.end?.summary);
      scheduleDraw(events);
      refreshButtons();
    });
  });

  editor.set(state.config);
}

/** The preset's description and what was changed from it. */
function describePreset(state: LabState): string {
  const preset = PRESETS.find((p) => p.name === state.preset);
  if (!preset) return 'a custom config (from a link or the JSON editor)';
  const changes = overridesFrom(preset.config, state.config);
  const edits = changes === null ? ' — edited beyond field changes' : changes.length ? ` — edited: ${changes.join(', ')}` : '';
  return `${preset.description}${edits}`;
}

