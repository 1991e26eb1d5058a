/**
 * The config editor: a form read from the CLI's schema (form-fields.ts: a dropdown for each enum,
 * a numeric input with the spec's range for each number, a checkbox for each flag) and the whole
 * config as JSON, kept in sync. Every edit is validated with the schema of @learnability/presets;
 * each error shows next to its field (config-errors.ts), the rest and JSON syntax errors under
 * the editor. The form sits in a <details>, so a phone can fold it away after Run.
 */
import type { ResolvedConfig } from '@learnability/presets';
import { checkConfig, parseEditorText, placeIssues } from '../lab/config-errors.js';
import { fieldText, parseFieldText, setAtPath } from '../lab/config-paths.js';
import type { Json } from '../lab/config-paths.js';
import { fieldHint, formFields, numberAttributes, renamePart } from '../lab/form-fields.js';
import type { FormField } from '../lab/form-fields.js';
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
  private paths: string[] = [];
  /** The form, foldable; open on wide screens, folded on phones until the user opens it. */
  readonly details: HTMLDetailsElement;
  private readonly summary: HTMLElement;
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
    this.summary = h('summary', {}, 'config');
    this.details = h(
      'details',
      { class: 'config-form', id: 'config-form', open: !matchMedia('(max-width: 760px)').matches },
      this.summary,
      this.fields,
      h('details', { class: 'json-editor' }, h('summary', {}, 'edit as JSON'), this.json),
    );
    this.json.addEventListener('input', () => this.fromJson());
    root.replaceChildren(this.details, this.errors);
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
    const renamed = renamePart(this.raw, path, text);
    this.raw = renamed ?? setAtPath(this.raw, path, parseFieldText(text));
    if (document.activeElement !== this.json) this.json.value = JSON.stringify(this.raw, null, 2);
    // A new part name changes which options exist; any other edit keeps the rows (and the focus).
    if (renamed) this.renderFields();
    else this.fields.querySelector(`.field[data-path="${CSS.escape(path)}"]`)?.classList.remove('default');
    this.check(true);
  }

  private input(f: FormField, id: string): HTMLInputElement | HTMLSelectElement {
    const spec = f.spec;
    if (spec?.type === 'enum') {
      const values = spec.values.includes(String(f.value)) ? spec.values : [String(f.value), ...spec.values];
      const select = h('select', { id }, ...values.map((v) => h('option', { value: v, selected: v === f.value }, v)));
      select.addEventListener('change', () => this.fromField(f.path, select.value));
      return select;
    }
    if (f.kind === 'boolean' || spec?.type === 'bool') {
      const box = h('input', { id, type: 'checkbox', checked: f.value === true });
      box.addEventListener('change', () => this.fromField(f.path, String(box.checked)));
      return box;
    }
    const numeric = f.kind === 'number' && (spec?.type === 'int' || spec?.type === 'number');
    const input = numeric
      ? h('input', { id, type: 'number', value: String(f.value), ...numberAttributes(spec), autocomplete: 'off' })
      : h('input', { id, type: 'text', value: fieldText(f.value), autocomplete: 'off', spellcheck: 'false' });
    // A number input's text may be ".5" or "05", which are numbers to it but not JSON: its number is read.
    const text = () => (numeric && Number.isFinite(input.valueAsNumber) ? String(input.valueAsNumber) : input.value);
    input.addEventListener('input', () => this.fromField(f.path, text()));
    return input;
  }

  private renderFields(): void {
    const fields = formFields(this.raw);
    this.paths = fields.map((f) => f.path);
    const rows = fields.map((f) => {
      const id = `field-${f.path.replace(/[^\w-]/g, '_')}`;
      const hint = fieldHint(f.spec);
      // The doc shows under the field while it has focus (a tooltip alone never shows on a touch
      // screen), and a screen reader reads it, and any error, as the control's description.
      const control = this.input(f, id);
      control.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
      return h(
        'div',
        { class: f.present ? 'field' : 'field default', 'data-path': f.path },
        h('label', { for: id, title: hint || undefined }, f.path),
        control,
        h('span', { class: 'field-hint', id: `${id}-hint` }, hint),
        h('span', { class: 'field-error', id: `${id}-error`, role: 'alert' }),
      );
    });
    this.fields.replaceChildren(...rows);
    const edited = fields.filter((f) => f.present).length;
    this.summary.textContent = `config: ${fields.length} fields (${edited} set, the rest at their defaults)`;
  }

  private check(edited: boolean): void {
    const checked = checkConfig(this.raw);
    const placed = checked.ok
      ? { byField: new Map<string, string[]>(), general: [] }
      : placeIssues(checked.issues, this.paths);
    for (const row of this.fields.querySelectorAll<HTMLElement>('.field')) {
      const messages = placed.byField.get(row.dataset['path'] ?? '') ?? [];
      row.classList.toggle('invalid', messages.length > 0);
      const slot = row.querySelector('.field-error');
      if (slot) slot.textContent = messages.join('; ');
    }
    // Errors land on folded fields too: open the form so they can be seen.
    if (placed.byField.size > 0) this.details.open = true;
    this.errors.replaceChildren(...placed.general.map((m) => h('li', {}, m)));
    this.onChange({ raw: this.raw, valid: checked.ok ? checked.config : null, edited });
  }
}
