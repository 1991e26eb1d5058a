/**
 * The lab's Backend picker: preselects what chooseBackend picks once the WebGPU probe answers
 * (`setupBackend('auto')`'s rule; the CLI's `auto` times both), says why in one line under it,
 * and shows the notices that go with the backend picked (a link's backend that cannot run, wasm
 * on one thread).
 */
import { listBackends } from '@learnability/backends';
import type { BackendStatus, GpuAdapterSummary } from '@learnability/backends';
import { chooseBackend } from '../lab/backend-choice.js';
import type { BackendChoice } from '../lab/backend-choice.js';
import { LAB_BACKENDS } from '../lab/url-state.js';
import type { LabBackend } from '../lab/url-state.js';

export interface BackendPickerElements {
  select: HTMLSelectElement;
  /** One line: what the lab picked and why. */
  reason: HTMLElement;
  notice: HTMLElement;
}

export class BackendPicker {
  private webgpu: BackendStatus | null = null;
  private auto: BackendChoice | null = null;

  /**
   * `asked`: the link's backend (null: the lab picks); `onChange` runs when the user picks one;
   * `onProbed` gets the WebGPU adapter, if any, once the probe answers.
   */
  constructor(
    private readonly el: BackendPickerElements,
    private asked: LabBackend | null,
    onChange: (backend: LabBackend) => void,
    onProbed: (adapter: GpuAdapterSummary | undefined) => void,
  ) {
    el.select.value = asked ?? 'wasm';
    el.reason.textContent = 'checking for a WebGPU adapter…';
    el.select.addEventListener('change', () => {
      this.asked = this.value;
      this.render();
      onChange(this.value);
    });
    // A probe that fails counts as no adapter: the picker (and the lab's Run) must not wait on it.
    const probed = listBackends().catch((e: unknown): BackendStatus[] => [
      {
        name: 'webgpu',
        available: false,
        reason: `the WebGPU probe failed (${e instanceof Error ? e.message : String(e)})`,
      },
    ]);
    void probed.then((statuses) => {
      this.webgpu = statuses.find((s) => s.name === 'webgpu') ?? {
        name: 'webgpu',
        available: false,
        reason: 'not probed',
      };
      this.auto = chooseBackend(null, this.webgpu, crossOriginIsolated);
      if (!el.select.disabled) el.select.value = this.asked ?? this.auto.backend;
      this.render();
      el.select.dataset['ready'] = 'true';
      onProbed(this.webgpu.adapter);
    });
  }

  /**
   * Picks `backend` as the user's choice (a config's `backend` key typed in the editor); null
   * gives the lab's own pick back (`auto`).
   */
  choose(backend: LabBackend | null): void {
    this.asked = backend;
    this.el.select.value = backend ?? this.auto?.backend ?? 'wasm';
    this.render();
  }

  /** The backend picked now. */
  get value(): LabBackend {
    const v = this.el.select.value;
    return (LAB_BACKENDS as readonly string[]).includes(v) ? (v as LabBackend) : 'wasm';
  }

  private render(): void {
    if (!this.webgpu || !this.auto) return;
    const choice = chooseBackend(this.asked, this.webgpu, crossOriginIsolated);
    const picked = this.value;
    this.el.reason.textContent =
      picked === this.auto.backend ? this.auto.reason : `${picked}: picked here (the lab's pick: ${this.auto.reason})`;
    this.el.reason.dataset['backend'] = picked;
    this.el.notice.textContent = choice.notices.join(' · ');
    this.el.notice.hidden = choice.notices.length === 0;
  }
}
