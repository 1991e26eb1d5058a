import { ConfigError, unknownKeyMessage } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { LEARNERS, MODELS, TASKS, TRAINERS } from './parts.js';
import { PRESETS } from './presets.js';

type Json = Record<string, unknown>;

/** A JSON object: not null, not a list (the config readers of this package share it). */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when both are parts (objects with a `name`) of different names: `{name: 'sgd', …}` and `{name: 'adam'}`. */
const renamesPart = (base: Json, over: Json) =>
  typeof over.name === 'string' && typeof base.name === 'string' && over.name !== base.name;

/**
 * `object[key] = value` as an own key even for `__proto__`, whose assignment would set the
 * prototype instead: validation then reports it as the unknown key it is.
 */
const setOwn = (object: Json, key: string, value: unknown) =>
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });

/**
 * Deep merge: objects merge key by key, everything else (arrays included) is replaced. A part
 * renamed by `over` (`trainer: {name: 'adam'}` over the preset's SGD) is replaced whole: the old
 * part's options (SGD's `weightDecay`) are not the new one's, and kept they would fail validation
 * or, where the names coincide, silently carry over.
 */
export function mergeConfig(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const old = out[k];
    setOwn(out, k, isObject(v) && isObject(old) && !renamesPart(old, v) ? mergeConfig(old, v) : v);
  }
  return out;
}

/**
 * `{"extends": "sparse-parity", ...}` starts from that preset's config. Only a preset: nothing
 * reads a file named here, so an unknown name says so rather than hinting at files.
 */
export function expandExtends(raw: unknown): unknown {
  if (!isObject(raw) || raw.extends === undefined) return raw;
  const { extends: name, ...rest } = raw;
  const preset = PRESETS.find((p) => p.name === name);
  if (preset) return mergeConfig(preset.config, rest);
  const names = PRESETS.map((p) => p.name);
  const message =
    typeof name === 'string'
      ? `${unknownKeyMessage(name, names, 'preset')}; only a preset can be extended, not a config file (copy its keys instead)`
      : `expected a preset name like "sparse-parity", but got ${JSON.stringify(name)}`;
  throw new ConfigError([{ path: 'extends', message }]);
}

/** The top-level keys of a run config that `--set` reaches. */
export const SETTABLE_KEYS = ['task', 'model', 'trainer', 'run', 'learners', 'backend'];

/**
 * Top-level keys `--set` refuses, each with why and the fix: `extends` is expanded when the
 * config is loaded, before overrides apply, and no run reads `description`. Setting either
 * would change nothing, silently.
 */
const NOT_SETTABLE = new Map<string, (value: unknown) => string>([
  [
    'extends',
    (value) =>
      `the preset is resolved before --set applies; name it as the command's argument (learnability run ${typeof value === 'string' ? value : '<preset>'})`,
  ],
  ['description', () => 'a description does not change a run, so setting it has no effect; drop this --set'],
]);

const INDEX = /^\d+$/;

/** `--set 'path=[…list, value]'`: the whole-list form of an element that `path.key…` cannot reach. */
function wholeList(path: readonly string[], list: readonly unknown[], rest: readonly string[], value: unknown): string {
  const element = rest.reduceRight<unknown>((v, k) => ({ [k]: v }), value);
  return `--set '${path.join('.')}=${JSON.stringify([...list, element])}'`;
}

/**
 * Sets `value` at `path` inside `root`, creating missing objects. A list keeps its shape: an index
 * replaces one existing element, and a longer list is a whole-list `--set`. The error message when
 * the path does not fit the config, else null.
 */
function setPath(root: Json, path: readonly string[], value: unknown): string | null {
  let node: Json | unknown[] = root;
  for (const [i, key] of path.entries()) {
    const at = path.slice(0, i);
    let slot = key;
    if (Array.isArray(node)) {
      if (!INDEX.test(key) || Number(key) >= node.length)
        return `${at.join('.')} is a list of length ${node.length}, so ${key} is not one of its indexes (they start at 0); set the whole list instead, like ${wholeList(at, node, path.slice(i + 1), value)}`;
      slot = String(Number(key)); // "00" is element 0, not a new key
    }
    const container = node as Json;
    if (i === path.length - 1) {
      setOwn(container, slot, value);
      return null;
    }
    const here = path.slice(0, i + 1);
    const next = path[i + 1] as string;
    // Own keys only: `__proto__` or `constructor` must not reach Object's prototype.
    if (!Object.hasOwn(container, slot)) {
      // An index into a list the config lacks would make an object with key "0": the bug lists had.
      if (INDEX.test(next))
        return `${here.join('.')} is not set, so it has no index ${next}; set the whole list instead, like ${wholeList(here, [], path.slice(i + 2), value)}`;
      setOwn(container, slot, {});
    }
    const child = container[slot];
    if (!isObject(child) && !Array.isArray(child))
      return `${here.join('.')} is ${JSON.stringify(child)}, which has no "${next}"; set ${here.join('.')} itself`;
    node = child;
  }
  return null;
}

/** The registry of the part at `path`: `task`, `model`, `trainer`, or `learners.<i>`; else null. */
function registryAt(path: readonly string[]): Record<string, { fields: object }> | null {
  const [head, index, ...rest] = path;
  if (rest.length > 0) return null;
  if (index === undefined)
    return head === 'task' ? TASKS : head === 'model' ? MODELS : head === 'trainer' ? TRAINERS : null;
  return head === 'learners' && INDEX.test(index) ? LEARNERS : null;
}

/** `registry[name]` when `name` is its own key: "toString" is in every object, and no part. */
export const ownEntry = <T>(registry: Record<string, T> | null, name: string): T | undefined =>
  registry && Object.hasOwn(registry, name) ? registry[name] : undefined;

/**
 * `--set <part>.name=<other>` (`path` ends in `name`): the part renamed, with the options the new
 * part also has (as the lab does); null when the name is unknown (validation says so) or the part's own.
 */
function renamed(root: Json, path: readonly string[], name: unknown): Json | null {
  const at = path.slice(0, -1);
  const entry =
    path[path.length - 1] === 'name' && typeof name === 'string' ? ownEntry(registryAt(at), name) : undefined;
  if (!entry) return null;
  let node: unknown = root;
  for (const key of at)
    node = (isObject(node) || Array.isArray(node)) && Object.hasOwn(node, key) ? (node as Json)[key] : undefined;
  if (!isObject(node) || node.name === name) return null;
  return { ...Object.fromEntries(Object.entries(node).filter(([k]) => Object.hasOwn(entry.fields, k))), name };
}

/** A number as people write one, JSON's spellings and others (.05, 5., +0.1, 007). */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Applies `path=value` overrides (`--set model.widths=[512]`, `--set trainer.lr=0.05`,
 * `--set model.widths.0=64`). The value is parsed as JSON when it can be (numbers, booleans,
 * lists, null), else read as a number where it is written as one (.05, +0.1), else taken as a
 * string; one that starts as a list or an object but is not JSON is refused (its quotes were
 * most likely removed by a shell).
 *
 * `--set model.name=rcnn` renames a part: it keeps the options the new part also has (a learning
 * rate across Align's rules) and drops the rest, which the new part would refuse as unknown (the
 * dense MLP's `widths` on an RCNN). Assignments apply in order, the last winning; an option set
 * before a rename stays when the new part has it. `--set 'trainer={"name":"adam"}'` starts the
 * part from its defaults instead. A config that `extends` a preset is expanded first, so the
 * overrides reach the preset's options (a rename kept none of them, and `model.widths.0` found no
 * list to index).
 */
export function applyOverrides(raw: Json, assignments: readonly string[]): Json {
  const issues: ConfigIssue[] = [];
  const out = structuredClone(expandExtends(raw) as Json);
  for (const a of assignments) {
    const eq = a.indexOf('=');
    const path = eq > 0 ? a.slice(0, eq).split('.') : [];
    if (eq <= 0 || path.some((p) => p === '')) {
      issues.push({ path: '--set', message: `expected path=value like trainer.lr=0.05, but got "${a}"` });
      continue;
    }
    const text = a.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // A list or object that is not JSON: with a bare word and no double quote in it, most often
      // JSON whose quotes a shell removed ([{name:gf2-elimination}]); else a slip in the JSON
      // itself (a trailing comma, a missing bracket).
      if (/^\s*[[{]/.test(text)) {
        const why = e instanceof Error ? e.message : String(e);
        const words = text.replace(/\b(true|false|null)\b/g, '').replace(/\d[eE][+-]?\d/g, '');
        const shell =
          text.includes('"') || !/[A-Za-z_]/.test(words)
            ? ''
            : `; a shell drops the double quotes of an unquoted word, so quote the whole assignment: --set '${path.join('.')}=${text.trimStart().startsWith('[') ? '[…]' : '{…}'}' with the JSON's quotes inside`;
        issues.push({ path: `--set ${path.join('.')}`, message: `${text} is not JSON (${why})${shell}` });
        continue;
      }
      // Numbers JSON does not spell (.05, 5., +0.1, 007) are numbers still; any other text is a string.
      value = NUMBER_TEXT.test(text) ? Number(text) : text;
    }
    const [head] = path as [string];
    const refused = NOT_SETTABLE.get(head);
    const unknown = !refused && !SETTABLE_KEYS.includes(head);
    const part = renamed(out, path, value);
    const message = refused
      ? refused(value)
      : unknown
        ? unknownKeyMessage(head, SETTABLE_KEYS, 'key')
        : part
          ? setPath(out, path.slice(0, -1), part)
          : setPath(out, path, value);
    if (message) issues.push({ path: `--set ${path.join('.')}`, message });
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}
