/**
 * Explorer settings in the address bar, as the lab keeps its config there: the hash names the tab
 * and, after `?`, the fields changed from their defaults, so a measurement can be shared:
 *
 *   #inal?target=parity:2&ns=6,8,10&model.widths=128
 *   #align?rule=fa&lr=0.2
 *
 * (The query string before the hash stays the lab's.) A field name the explorer does not have is
 * reported in one line; values are checked by the explorer's own validation, beside each field.
 */
import { encodeReadable, readQuery } from '../lab/encode-readable.js';
import type { FormField } from './dom.js';

/**
 * `#inal?target=parity:2` → the view `inal` and its settings, read as the lab's query is (a `+` a plus).
 */
export function parseHash(hash: string): { view: string; settings: URLSearchParams } {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  return at < 0
    ? { view: text, settings: new URLSearchParams() }
    : { view: text.slice(0, at), settings: readQuery(text.slice(at + 1)) };
}

/** Keeps `:`, `,` and `/` readable in values (`parity:2`, `6,8,10`). */
const encode = (s: string): string => encodeReadable(s, ':,/');

/** The hash for `view` with the `settings` (path, value) that differ from `defaults`, in order. */
export function explorerHash(
  view: string,
  settings: readonly (readonly [string, string])[],
  defaults: ReadonlyMap<string, string>,
): string {
  const changed = settings.filter(([path, value]) => defaults.get(path) !== value);
  return `#${view}${changed.length ? `?${changed.map(([p, v]) => `${encode(p)}=${encode(v)}`).join('&')}` : ''}`;
}

/**
 * Sets each field the hash names, in form order; a select's `change` fires so fields that depend
 * on it (the INAL explorer's model options) appear and are set on the next pass. Returns the
 * names no field took, as one line, or null.
 */
export function applySettings(settings: URLSearchParams, fields: () => readonly FormField[]): string | null {
  const pending = new Map(settings);
  // A name given twice kept its last value without a word: refused, nothing set, as the lab's query.
  const twice = [...pending.keys()].filter((key) => settings.getAll(key).length > 1);
  if (twice.length > 0)
    return twice
      .map((key) => `"${key}" is given ${settings.getAll(key).length} times in the link; give it once`)
      .join('; ');
  const problems: string[] = [];
  for (let pass = 0; pass < 3 && pending.size > 0; pass++) {
    for (const f of fields()) {
      const value = pending.get(f.path);
      if (value === undefined) continue;
      pending.delete(f.path);
      const before = f.input.value;
      f.input.value = value;
      // A select given a value it does not offer became '', and its error then quoted "".
      if ('options' in f.input && f.input.value !== value) {
        const offered = Array.from(f.input.options, (o) => o.value);
        problems.push(`${f.path}=${value} is not one of ${offered.join(', ')}`);
        f.input.value = before;
      }
      f.input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
  if (pending.size > 0) {
    const known = fields().map((f) => f.path);
    problems.push(
      `the link names ${[...pending.keys()].map((k) => `"${k}"`).join(', ')}, which this explorer does not have; its fields: ${known.join(', ')}`,
    );
  }
  return problems.length > 0 ? problems.join('; ') : null;
}

/**
 * Binds an explorer's form to the address bar: applies the hash's settings once (an unknown name
 * shows in `error`), then writes the changed fields back on every edit. A field is left out of the
 * link where it equals its default: the form's at mount, or `defaultsNow()`'s where one field
 * resets others (the Align explorer's task), so that reopening the link gives the same form.
 */
export function bindHashState(
  view: string,
  form: HTMLElement,
  fields: () => readonly FormField[],
  error: HTMLElement,
  defaultsNow?: () => ReadonlyMap<string, string>,
): void {
  const defaults = new Map(fields().map((f) => [f.path, f.input.value]));
  const { view: current, settings } = parseHash(location.hash);
  const problem = current === view ? applySettings(settings, fields) : null;
  if (problem) {
    error.textContent = problem;
    error.hidden = false;
  }
  const write = () => {
    const hash = explorerHash(
      view,
      fields().map((f) => [f.path, f.input.value] as const),
      defaultsNow?.() ?? defaults,
    );
    history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  };
  form.addEventListener('change', write);
  form.addEventListener('input', write);
}
