/**
 * The config editor: one field per config leaf and the whole config as JSON, kept in sync.
 * Every edit is validated with the schema of @learnability/presets; each error shows next to
 * its field (config-errors.ts), the rest and JSON syntax errors under the editor.
 */
import type { ResolvedConfig } from '@learnability/presets';
import { checkConfig, parseEditorText, placeIssues } from '../lab/config-errors.js';
import { configFields, fieldText, parseFieldText, setAtPath } from '../lab/config-paths.js';
import type { Json } from '../lab/config-paths.js';
import { h } from './dom.js';

/** What the editor holds after each edit: the raw config, and the validated one or null. */
export interface EditorState {
  raw: Json | null;
  valid: ResolvedConfig | null;
  /** True when the user edited (a field or the JSON), false when `set` replaced the config. */
  edited: boolean;
}

export class ConfigEditor {
  private raw: Json = {};
  private readonly fields: HTMLElement;
  private readonly json: HTMLTextAreaElement;
  private readonly errors: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly onChange: (state: EditorState) => void,
  ) {
    this.fields = h('div', { class: 'fields', id: 'config-fields' });
    this.json = h('textarea', { id: 'config-json', spellcheck: 'false', rows: '14', 'aria-label': 'config as JSON' });
    this.errors = h('ul', { class: 'editor-errors', id: 'editor-errors', 'aria-live': 'polite' });
    this.json.addEventListener('input', () => this.fromJson());
    root.replaceChildren(
      this.fields,
      h('details', { class: 'json-editor' }, h('summary', {}, 'edit as JSON'), this.json),
      this.errors,
    );
  }

  /** Replaces the config (a preset was picked, a URL was opened). */
  set(config: Json): void {
    this.raw = structuredClone(config);
    this.json.value = JSON.stringify(this.raw, null, 2);
    this.renderFields();
    this.check(false);
  }

  private fromJson(): void {
    const parsed = parseEditorText(this.json.value);
    if (!parsed.ok) {
      this.errors.replaceChildren(h('li', {}, parsed.error));
      for (const el of this.fields.querySelectorAll('.field-error')) el.textContent = '';
      this.onChange({ raw: null, valid: null, edited: true });
      return;
    }
    this.raw = parsed.raw;
    this.renderFields();
    this.check(true);
  }

  private fromField(path: string, text: string): void {
    this.raw = setAtPath(this.raw, path, parseFieldText(text));
    if (document.activeElement !== this.json) this.json.value = JSON.stringify(this.raw, null, 2);
    this.check(true);
  }

  private renderFields(): void {
    const rows = configFields(this.raw).map((f) => {
      const id = `field-${f.path.replace(/[^\w-]/g, '_')}`;
      const input =
        f.kind === 'boolean'
          ? h('input', { id, type: 'checkbox', checked: f.value === true })
          : h('input', { id, type: 'text', value: fieldText(f.value), inputmode: f.kind === 'number' ? 'decimal' : undefined, autocomplete: 'off' });
      input.addEventListener(f.kind === 'boolean' ? 'change' : 'input', () => {
        this.fromField(f.path, input.type === 'checkbox' ? String(input.checked) : input.value);
      });
      return h('div', { class: 'field', 'data-path': f.path }, h('label', { for: id }, f.path), input, h('span', { class: 'field-error', role: 'alert' }));
    });
    this.fields.replaceChildren(...rows);
  }

  private check(edited: boolean): void {
    const checked = checkConfig(this.raw);
    const paths = configFields(this.raw).map((f) => f.path);
    const placed = checked.ok ? { byField: new Map<string, string[]>(), general: [] } : placeIssues(checked.issues, paths);
    for (const row of this.fields.querySelectorAll<HTMLElement>('.field')) {
      const messages = placed.byField.get(row.dataset['path'] ?? '') ?? [];
      row.classList.toggle('invalid', messages.length > 0);
      const slot = row.querySelector('.field-error');
      if (slot) slot.textContent = messages.join('; ');
    }
    this.errors.replaceChildren(...placed.general.map((m) => h('li', {}, m)));
    this.onChange({ raw: this.raw, valid: checked.ok ? checked.config : null, edited });
  }
}
