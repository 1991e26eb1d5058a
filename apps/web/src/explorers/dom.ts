/**
 * DOM helpers shared by the explorers (elements come from ui/dom.ts's `h`, as the lab's): labelled
 * fields with a one-line error beside each, forms generated from the presets' field specs, and the
 * explorers' stylesheet.
 */
import { readField } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import type { FieldSpecs } from '@learnability/core';
import { h } from '../ui/dom.js';
import { EXPLORER_BACKENDS } from './worker-protocol.js';

/** One input with its label, hint and error line; `path` is the issue path it shows. */
export interface FormField {
  path: string;
  row: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}

let fieldIds = 0;

export function textField(path: string, label: string, value: string, hint = ''): FormField {
  const input = h('input', { type: 'text', value, spellcheck: 'false', autocomplete: 'off' });
  return wrap(path, label, input, hint);
}

export function selectField(
  path: string,
  label: string,
  options: readonly string[],
  value: string,
  hint = '',
): FormField {
  const input = h('select', {}, ...options.map((o) => h('option', { value: o, selected: o === value }, o)));
  return wrap(path, label, input, hint);
}

/** Every explorer's backend choice: `auto` by default, as the CLI. */
export function backendField(): FormField {
  return selectField('backend', 'backend', EXPLORER_BACKENDS, 'auto', 'auto: webgpu on a hardware adapter, else wasm');
}

function wrap(path: string, label: string, input: HTMLInputElement | HTMLSelectElement, hint: string): FormField {
  const id = `explorer-field-${++fieldIds}`;
  input.id = id;
  input.name = path;
  const error = h('span', { class: 'field-error', role: 'alert', id: `${id}-error` });
  input.setAttribute('aria-describedby', error.id);
  const row = h(
    'div',
    { class: 'field', 'data-path': path },
    h('label', { for: id, title: hint || undefined }, label),
    input,
    error,
  );
  return { path, row, input, error };
}

/**
 * Shows each issue beside the field whose path it names (a `model.widths` issue on the
 * `model.widths` field); issues no field claims go to `rest`. Clears fields without issues.
 */
export function showIssues(fields: readonly FormField[], issues: readonly ConfigIssue[], rest: HTMLElement): void {
  const claimed = new Set<ConfigIssue>();
  for (const f of fields) {
    const mine = issues.filter((i) => i.path === f.path);
    mine.forEach((i) => claimed.add(i));
    f.error.textContent = mine.map((i) => i.message).join('; ');
    f.row.classList.toggle('invalid', mine.length > 0);
    f.input.setAttribute('aria-invalid', String(mine.length > 0));
  }
  const left = issues.filter((i) => !claimed.has(i));
  rest.textContent = left.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  rest.hidden = left.length === 0;
}

/** Form fields for a part's options (the presets' field specs), named `<prefix>.<key>`. */
export function specFields(prefix: string, specs: FieldSpecs, values: Record<string, unknown> = {}): FormField[] {
  return Object.entries(specs).map(([key, spec]) => {
    const path = `${prefix}.${key}`;
    const value = key in values ? values[key] : spec.default;
    if (spec.type === 'enum') return selectField(path, key, spec.values, String(value), spec.doc);
    if (spec.type === 'bool') return selectField(path, key, ['true', 'false'], String(value), spec.doc);
    return textField(
      path,
      key,
      Array.isArray(value) ? value.join(', ') : value === null ? '' : String(value),
      spec.doc,
    );
  });
}

/** Reads spec fields back into a raw options object (keys without the prefix). */
export function readSpecFields(fields: readonly FormField[], specs: FieldSpecs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const key = f.path.slice(f.path.indexOf('.') + 1);
    const spec = specs[key];
    if (spec) out[key] = readField(spec, f.input.value);
  }
  return out;
}

/** A number for tables: 4 significant digits, exponent notation when small or large. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(Math.max(0, digits - 2));
  return String(Number(v.toPrecision(digits)));
}

/** An integer with thousands separators (parameter counts). */
export const count = (v: number): string => v.toLocaleString('en-US');

const STYLE_ID = 'learnability-explorer-style';

/** The explorers' few rules beyond the lab's stylesheet; added once per document. */
export function ensureExplorerStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = h('style', { id: STYLE_ID });
  style.textContent = `
.explorer h2 { font-size: 1.05rem; margin: 0 0 0.3rem; }
.explorer h3 { font-size: 0.95rem; margin: 0.6rem 0 0.2rem; }
.explorer .controls .fields { max-height: none; }
.explorer table.explorer-table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
.explorer table.explorer-table th, .explorer table.explorer-table td { padding: 0.15rem 0.6rem; border-bottom: 1px solid var(--line, #d0d7de); text-align: right; white-space: nowrap; }
.explorer table.explorer-table th:first-child, .explorer table.explorer-table td:first-child { text-align: left; }
.explorer table.explorer-table th { white-space: normal; vertical-align: bottom; min-width: 4.5rem; }
.explorer .form-error:empty { display: none; }
.explorer .plot { max-width: 640px; }
.explorer .mismatch { color: var(--error, #cf222e); font-weight: 600; }
`;
  document.head.append(style);
}
