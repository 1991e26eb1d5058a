/**
 * A config as a list of editable leaves: `task.n`, `model.widths`, `learners[0].name`. Arrays of
 * plain values are one leaf (edited as JSON); arrays of objects are indexed. The same paths are
 * the ones `validateConfig` puts on its issues, so an error finds its field by path.
 */

import { applyOverrides } from '@learnability/presets';

export type Json = Record<string, unknown>;

/** One editable leaf of a config. */
export interface ConfigField {
  /** Path in the notation of ConfigError issues: `run.steps`, `learners[0].name`. */
  path: string;
  value: unknown;
  /** How the field is edited: a number box, a checkbox, a text box, or JSON text (lists, null). */
  kind: 'number' | 'boolean' | 'string' | 'json';
}

type Segment = string | number;

/** A JSON object: not null, not a list. */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `['learners', 0, 'name']` → `learners[0].name`. */
export function formatPath(segments: readonly Segment[]): string {
  return segments.reduce<string>(
    (s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s === '' ? seg : `${s}.${seg}`),
    '',
  );
}

/** `learners[0].name` → `['learners', 0, 'name']`; a one-line error for a malformed path. */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let at = 0;
  for (let m = re.exec(path); m !== null; m = re.exec(path)) {
    const gap = path.slice(at, m.index);
    if (gap !== '' && gap !== '.')
      throw new Error(`config path "${path}" is malformed; expected a path like task.n or learners[0].name`);
    segments.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
    at = re.lastIndex;
  }
  if (segments.length === 0 || at !== path.length)
    throw new Error(`config path "${path}" is malformed; expected a path like task.n or learners[0].name`);
  return segments;
}

function kindOf(value: unknown): ConfigField['kind'] {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return 'json';
}

/** Every leaf of `config`, depth first in key order. */
export function configFields(config: Json): ConfigField[] {
  const out: ConfigField[] = [];
  const walk = (value: unknown, at: Segment[]): void => {
    if (isObject(value) && at.length > 0 && Object.keys(value).length === 0)
      out.push({ path: formatPath(at), value, kind: 'json' });
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    else if (Array.isArray(value) && value.length > 0 && value.every(isObject))
      value.forEach((v, i) => walk(v, [...at, i]));
    else out.push({ path: formatPath(at), value, kind: kindOf(value) });
  };
  walk(config, []);
  return out;
}

/** A copy of `config` with the leaf at `path` set to `value` (missing objects are created). */
export function setAtPath(config: Json, path: string, value: unknown): Json {
  const segments = parsePath(path);
  const out = structuredClone(config);
  let node: unknown = out;
  segments.slice(0, -1).forEach((seg, i) => {
    const container = node as Record<string | number, unknown>;
    const nextIsIndex = typeof segments[i + 1] === 'number';
    if (typeof container[seg] !== 'object' || container[seg] === null) container[seg] = nextIsIndex ? [] : {};
    node = container[seg];
  });
  (node as Record<string | number, unknown>)[segments[segments.length - 1] as Segment] = value;
  return out;
}

/**
 * The value a field's text stands for: JSON when it parses (numbers, booleans, lists, null), else
 * the text itself, as the CLI's `--set path=value` reads it (which also reads `.05` as a number:
 * here a number input hands over its own reading, config-editor.ts). A number field keeps
 * non-numeric text as a string so that validation, not the form, reports it.
 */
export function parseFieldText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The text a field shows for `value` (inverse of parseFieldText for the values a config holds). */
export function fieldText(value: unknown): string {
  return typeof value === 'string' && !isAmbiguousString(value) ? value : JSON.stringify(value);
}

/**
 * A string that a link's `set=path=<text>` would read back as something else must show its
 * quotes: one that is JSON of another value ("3", "true"), a number JSON does not spell (".5"),
 * or a list or object cut short ("[51", typed half-way), which is refused as not JSON. The rule
 * is presets' applyOverrides (the CLI's --set), asked directly.
 */
function isAmbiguousString(s: string): boolean {
  try {
    return (applyOverrides({}, [`run.value=${s}`]) as { run: { value: unknown } }).run.value !== s;
  } catch {
    return true;
  }
}
