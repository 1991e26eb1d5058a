/**
 * The lab: pick a preset or edit its config, pick a backend, run it in a worker and watch the
 * plots and the first layer's weights; pause, step, stop, continue, download the record, load one
 * to re-plot. The URL mirrors the config.
 */
import type { EvalEvent, RunEvent } from '@learnability/core';
import { runIdFor } from '@learnability/experiment';
import { getPreset, PRESETS } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { browserBlocker } from '../lab/browser-support.js';
import { browserWording } from '../lab/browser-wording.js';
import { loadRecordText, recordFileName, recordText } from '../lab/record-file.js';
import { describeAdapter, describeBackend, summaryLine } from '../lab/run-text.js';
import { DEFAULT_PRESET, isLabBackend, labQuery, overridesFrom, parseLabQuery } from '../lab/url-state.js';
import type { LabState } from '../lab/url-state.js';
import { BackendPicker } from './backend-picker.js';
import { ConfigEditor } from './config-editor.js';
import { byId, h } from './dom.js';
import { RunPlots } from './run-plots.js';
import { renderResultsTable } from './results-table.js';
import { RunController } from './run-controller.js';
import { pausedLine, RunProgress } from './run-progress.js';
import { WeightHeatmap } from './weight-heatmap.js';

/** Phone widths: the form folds away after Run and the results come first. */
const NARROW = '(max-width: 760px)';

export function mountLab(root: HTMLElement): void {
  const el = {
    urlError: byId(document, 'url-error', HTMLParagraphElement),
    preset: byId(root, 'preset', HTMLSelectElement),
    presetDescription: byId(root, 'preset-description', HTMLParagraphElement),
    backend: byId(root, 'backend', HTMLSelectElement),
    backendReason: byId(root, 'backend-reason', HTMLParagraphElement),
    backendNotice: byId(root, 'backend-notice', HTMLParagraphElement),
    editor: byId(root, 'editor', HTMLDivElement),
    run: byId(root, 'run', HTMLButtonElement),
    stop: byId(root, 'stop', HTMLButtonElement),
    cont: byId(root, 'continue', HTMLButtonElement),
    pause: byId(root, 'pause', HTMLButtonElement),
    step: byId(root, 'step', HTMLButtonElement),
    download: byId(root, 'download', HTMLButtonElement),
    load: byId(root, 'load-record', HTMLInputElement),
    recordError: byId(root, 'record-error', HTMLParagraphElement),
    share: byId(root, 'share-link', HTMLAnchorElement),
    status: byId(root, 'run-status', HTMLParagraphElement),
    announce: byId(root, 'run-announce', HTMLParagraphElement),
    adapter: byId(root, 'adapter', HTMLParagraphElement),
    trainStep: byId(root, 'train-step', HTMLParagraphElement),
    latest: byId(root, 'latest', HTMLTableElement),
    heatmap: byId(root, 'heatmap', HTMLDivElement),
    plots: byId(root, 'plots', HTMLDivElement),
  };

  const parsed = parseLabQuery(location.search);
  if (!parsed.ok) {
    el.urlError.textContent = parsed.error;
    el.urlError.hidden = false;
  }
  let state: LabState = parsed.ok
    ? parsed.state
    : { preset: DEFAULT_PRESET, config: structuredClone(getPreset(DEFAULT_PRESET).config), backend: null };
  let valid: ResolvedConfig | null = null;
  let evalsToDraw: EvalEvent[] = [];
  let drawPending = false;
  /** Pause asked for (`pausing`) or in effect (`paused`); `running` otherwise. */
  let gate: 'running' | 'pausing' | 'paused' = 'running';
  /** Stop was pressed: the run ends at its next evaluation, and nothing may hold it there. */
  let stopping = false;
  /** The WebGPU probe answered, so the backend picker shows its real pick. */
  let probed = false;
  /** The validated config of the run going now (for its status words). */
  let runConfig: ResolvedConfig | null = null;
  /** Whether the record in the page has events not yet downloaded (a loaded record has none). */
  let unsaved = false;

  const plots = new RunPlots(el.plots);
  plots.clear();
  const heatmap = new WeightHeatmap(el.heatmap);
  const progress = new RunProgress();

  // A bad URL stays in the address bar, with its error, until the user changes something.
  let urlOwned = parsed.ok;
  const syncUrl = (): void => {
    const query = labQuery(state);
    el.share.href = `${location.pathname}${query}`;
    if (!urlOwned) return;
    el.urlError.hidden = true;
    history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
  };

  const blocker = (): string | null =>
    // Run before the probe took the picker's wasm placeholder, on a machine with a GPU (a backend
    // the link or the user chose needs no probe).
    probed || state.backend !== null ? browserBlocker(state.config) : 'checking for a WebGPU adapter…';
  const refreshButtons = (): void => {
    const running = controller.running;
    el.run.disabled = running || valid === null || blocker() !== null;
    el.run.title = valid === null ? 'fix the config errors first' : (blocker() ?? '');
    // After Stop, Pause and Step would hold the run at its next evaluation instead of ending it;
    // Stop pressed again ends the session at once (a setup or a GPU read that never settles).
    el.stop.disabled = !running;
    el.stop.textContent = running && stopping ? 'Stop now' : 'Stop';
    el.cont.disabled = running || !controller.canContinue;
    // Pause and Step hold a run at an evaluation, which a run of stream learners alone never has.
    const holdable = runConfig?.model !== undefined;
    el.pause.disabled = !running || stopping || !holdable;
    el.step.disabled = !running || stopping || !holdable;
    el.pause.textContent = running && gate !== 'running' ? 'Resume' : 'Pause';
    el.pause.setAttribute('aria-pressed', String(running && gate !== 'running'));
    el.download.disabled = controller.events.length === 0;
    el.preset.disabled = running;
    el.backend.disabled = running;
    el.load.disabled = running;
  };

  // The status line changes at every evaluation; a screen reader is told only when the run's state
  // changes (started, paused, stopped, completed, an error), through a hidden live region.
  const setStatus = (state_: string, text: string, data: Record<string, string> = {}): void => {
    if (el.status.dataset['state'] !== state_) el.announce.textContent = text;
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
      unsaved = true;
      if (e.type === 'start') {
        progress.start(e.startStep, e.totalSteps);
        // Which path trains (a whole-step kernel, or TF.js ops and which kernels), as the CLI's start line says.
        el.trainStep.textContent = e.trainStep === undefined ? '' : `training step: ${e.trainStep}`;
        // A run of stream learners alone has no evaluations to report: say what it does until it ends.
        if (runConfig && runConfig.model === undefined && !stopping)
          setStatus(
            'running',
            `stream learners at work on the samples (up to ${e.totalSteps.toLocaleString('en-US')} steps); they report when they end…`,
            {
              step: String(e.startStep),
            },
          );
      }
      if (e.type === 'eval') {
        const line = progress.evaluated(
          e,
          el.adapter.dataset['backend'] ?? '',
          runConfig?.run.stopWhenLearned ?? false,
        );
        const eta = progress.eta();
        // "stopping…" stays up until the run ends.
        if (gate === 'running' && !stopping)
          setStatus('running', line, {
            step: String(e.step),
            testAccuracy: JSON.stringify(e.testAccuracy),
            eta: eta === null ? '' : String(eta),
          });
        else el.status.dataset['step'] = String(e.step);
        renderResultsTable(el.latest, all);
        scheduleDraw(all);
      }
      // A replica's learned line comes after the eval it learned at: its "learned at" cell shows now,
      // not one evaluation later (a run held there by Pause shows it learned).
      if (e.type === 'learned') renderResultsTable(el.latest, all);
      refreshButtons();
    },
    weights(map) {
      heatmap.update(map);
    },
    gate(state, step) {
      if (state === 'paused') {
        gate = 'paused';
        progress.pause();
        const { evalEvery = 0, steps = 0 } = runConfig?.run ?? {};
        setStatus('paused', pausedLine(step, Math.min(evalEvery, steps - step)), { step: String(step) });
      } else {
        progress.resume();
        if (gate === 'paused') gate = 'running';
        // A Resume clicked while the worker's "paused" was on its way: that line must not stay up.
        if (gate === 'running' && !stopping) setStatus('running', `resumed at step ${step}…`, { step: String(step) });
      }
      refreshButtons();
    },
    done(summary) {
      gate = 'running';
      setStatus(summary.status, summaryLine(summary), { step: String(summary.steps) });
      renderResultsTable(el.latest, controller.events, summary);
      scheduleDraw(controller.events);
      refreshButtons();
    },
    error(message) {
      gate = 'running';
      const from = controller.continueStep;
      const more = from === null ? '' : ` (Continue goes on from step ${from}, on the backend chosen above)`;
      setStatus('error', `error: ${browserWording(message)}${more}`);
      refreshButtons();
    },
  });

  /** Whether the editor's text is a JSON object (a browser blocker is said only then). */
  let editorParsed = false;
  // Said again once the WebGPU probe answers: until then the blocker is "checking…".
  const describe = (): void => {
    const why = editorParsed ? blocker() : null;
    el.presetDescription.textContent = describePreset(state) + (why ? ` — cannot run in a browser: ${why}` : '');
  };
  // Whether the editor's config has a `backend` key, which the Backend picker then keeps in step.
  let editorHasBackend = false;
  const editor = new ConfigEditor(el.editor, ({ raw, valid: v, edited }) => {
    valid = v;
    editorParsed = raw !== null;
    if (edited) urlOwned = true;
    if (raw !== null) {
      // The Backend picker owns the backend: a `backend` typed here picks it there, as a link's
      // does, where Run used to drop it silently (the form validates any other value).
      const { backend: typed, ...config } = raw;
      editorHasBackend = typed !== undefined;
      if (typed === 'auto' || isLabBackend(typed)) {
        state = { ...state, backend: typed === 'auto' ? null : typed };
        picker.choose(state.backend);
      }
      state = { ...state, config };
      syncUrl();
    }
    describe();
    refreshButtons();
  });

  // ---- preset and backend pickers ----
  const custom = h('option', { value: '' }, '(custom config)');
  el.preset.replaceChildren(custom, ...PRESETS.map((p) => h('option', { value: p.name }, p.name)));
  el.preset.value = state.preset ?? '';
  el.preset.addEventListener('change', () => {
    if (el.preset.value === '') {
      // The config as it stands, no longer described (or linked) as an edited preset.
      urlOwned = true;
      state = { ...state, preset: null };
      syncUrl();
      describe();
      return;
    }
    urlOwned = true;
    state = { ...state, preset: el.preset.value, config: structuredClone(getPreset(el.preset.value).config) };
    editor.set(state.config);
  });
  const picker = new BackendPicker(
    { select: el.backend, reason: el.backendReason, notice: el.backendNotice },
    state.backend,
    (backend) => {
      urlOwned = true;
      // A `backend` key in the editor follows the picker, so the two never disagree.
      if (editorHasBackend) editor.set({ ...state.config, backend });
      state = { ...state, backend };
      syncUrl();
      refreshButtons();
    },
    (adapter) => {
      probed = true;
      describe();
      refreshButtons();
      if (adapter && !el.adapter.dataset['backend'])
        el.adapter.textContent = `WebGPU adapter here: ${describeAdapter(adapter)}`;
    },
  );

  // ---- run, stop, continue, pause, step ----
  el.run.addEventListener('click', () => {
    if (!valid || controller.running) return;
    // A new run replaces the last in the page, as a load does: asked first, not thrown away.
    const loses = controller.canContinue
      ? "the last run's record and its checkpoint (Continue)"
      : "the last run's record";
    if (unsaved && !confirm(`Running again replaces ${loses}, not downloaded yet. Run anyway?`)) return;
    const { backend: _ignored, ...config } = state.config;
    const backend = picker.value;
    el.recordError.hidden = true;
    plots.clear();
    heatmap.clear();
    el.latest.replaceChildren();
    runConfig = valid;
    gate = 'running';
    stopping = false;
    // The last run's adapter and step path would stand beside this run's setup, or its error.
    el.adapter.textContent = '';
    el.trainStep.textContent = '';
    controller.start({ runId: runIdFor(state.preset ?? 'config', valid.run.seed), config, backend });
    setStatus('starting', `starting on ${backend}…`, { step: '0', testAccuracy: '[]', eta: '' });
    // On a phone the results come first (CSS) and the form folds away.
    root.dataset['ran'] = 'true';
    if (matchMedia(NARROW).matches) editor.details.open = false;
    refreshButtons();
  });
  // The second click of a double-click (detail 2) is not a second press: on Stop it would be "Stop
  // now", ending the run before the evaluation that checkpoints it; on Pause, an instant Resume.
  el.pause.addEventListener('click', (e) => {
    if (e.detail > 1) return;
    if (gate === 'running') {
      gate = 'pausing';
      controller.pause();
      setStatus('pausing', 'pausing at the next evaluation…');
    } else {
      gate = 'running';
      controller.resume();
      setStatus('running', 'resuming…');
    }
    refreshButtons();
  });
  el.step.addEventListener('click', () => {
    gate = 'pausing';
    controller.step();
    setStatus('stepping', 'training to the next evaluation…');
    refreshButtons();
  });
  el.stop.addEventListener('click', (e) => {
    if (e.detail > 1) return;
    if (stopping) {
      controller.kill();
      gate = 'running';
      stopping = false;
      const from = controller.continueStep;
      setStatus(
        'stopped',
        `stopped at once (Stop now): the record so far is kept${from === null ? ', with no checkpoint to continue from' : `; Continue goes on from step ${from}`}`,
      );
      refreshButtons();
      return;
    }
    gate = 'running';
    stopping = true;
    controller.stop();
    setStatus('stopping', 'stopping at the next evaluation… (Stop now ends it at once)');
    refreshButtons();
  });
  el.cont.addEventListener('click', () => {
    // Continue goes on with the stopped run's config, as --resume does; an edit since is a new run.
    if (valid === null) {
      setStatus(
        'error',
        'cannot continue: the config has errors; fix them (Continue goes on with the stopped run as it was)',
      );
      return;
    }
    const { backend: _a, ...now } = valid;
    const { backend: _b, ...ran } = runConfig ?? {};
    if (JSON.stringify(now) !== JSON.stringify(ran)) {
      setStatus(
        'error',
        'cannot continue: the config was edited after Stop, and Continue goes on with the stopped run as it was; undo the edit, or press Run to start the edited config',
      );
      return;
    }
    const backend = picker.value;
    const before = controller.plannedBackend;
    gate = 'running';
    stopping = false;
    controller.continue(backend);
    setStatus(
      'starting',
      before !== null && before !== backend
        ? `continuing from the checkpoint on ${backend}; the run so far ran on ${before}: from here its numbers are ${backend}'s, equal to ${before}'s to float tolerance, not bit for bit`
        : 'continuing from the checkpoint…',
    );
    refreshButtons();
  });

  // ---- record download and load ----
  el.download.addEventListener('click', () => {
    unsaved = false;
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
    // Loading replaces the run in the page: its record, and the checkpoint Continue needs.
    const loses = controller.canContinue ? "this run's record and its checkpoint (Continue)" : "this run's record";
    if (unsaved && !confirm(`Loading ${file.name} replaces ${loses}, not downloaded yet. Load it anyway?`)) return;
    const refuse = (why: string) => {
      el.recordError.textContent = `cannot load ${file.name}: ${why}`;
      el.recordError.hidden = false;
    };
    // The record the confirm above was about: a run started while the file is read has another.
    const asked = controller.events;
    void file.text().then(
      (text) => {
        // Loading now would swap a running session's record, or one the confirm never covered.
        if (controller.running || controller.events !== asked)
          return refuse("the page's record changed while the file was read; load it again");
        const loaded = loadRecordText(text, file.name);
        if (!loaded.ok) return refuse(loaded.error);
        el.recordError.hidden = true;
        const { record: r, events } = loaded;
        // The record's own backends, every session's (a run continued on another), not the last run's adapter.
        const backends = [...new Set(r.starts.map((s) => s.backend))].join(', then ');
        el.adapter.textContent = backends ? `recorded on ${backends}` : '';
        el.trainStep.textContent = r.starts[0]?.trainStep ? `training step: ${r.starts[0].trainStep}` : '';
        controller.load(events, r.starts[0]?.runId ?? file.name.replace(/\.jsonl$/, ''));
        unsaved = false;
        const start = r.starts[0];
        setStatus(
          'loaded',
          `loaded ${file.name}: ${r.evals.length} evaluations of ${start?.replicas ?? '?'} replica(s) on ${backends || '?'}, ${r.end ? r.end.summary.status : 'no end line (the run was cut off)'}`,
          {
            step: String(r.evals[r.evals.length - 1]?.step ?? 0),
            testAccuracy: JSON.stringify(r.evals[r.evals.length - 1]?.testAccuracy ?? []),
          },
        );
        renderResultsTable(el.latest, events, r.end?.summary);
        heatmap.clear();
        scheduleDraw(events);
        refreshButtons();
      },
      (error: unknown) =>
        refuse(`the file could not be read (${error instanceof Error ? error.message : String(error)})`),
    );
  });

  editor.set(state.config);
}

/** The preset's description and what was changed from it. */
function describePreset(state: LabState): string {
  const preset = PRESETS.find((p) => p.name === state.preset);
  if (!preset) return 'a custom config (from a link or the JSON editor)';
  const changes = overridesFrom(preset.config, state.config);
  const edits =
    changes === null ? ' — edited beyond field changes' : changes.length ? ` — edited: ${changes.join(', ')}` : '';
  return `${preset.description}${edits}`;
}
