/**
 * The lab's state in the page URL, so a run can be shared as a link:
 *
 *   ?preset=sparse-parity&set=task.n=30&set=run.steps=2000&backend=wasm
 *   ?config=<base64url JSON>&backend=webgpu     (any config, when `set` cannot say it)
 *
 * `set` is the CLI's `--set path=value` (applyOverrides of @learnability/presets). Whether the
 * resulting config is valid is not the URL's business: the editor shows its errors by field.
 */
import { applyOverrides, expandExtends, getPreset } from '@learnability/presets';
import { encodeReadable, readQuery } from './encode-readable.js';
import { configFields, fieldText, isObject } from './config-paths.js';
import type { Json } from './config-paths.js';

/** Backends the lab offers (`auto` is the lab's own default: webgpu on a hardware adapter, else wasm). */
export const LAB_BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
export type LabBackend = (typeof LAB_BACKENDS)[number];

/** What the URL says: a starting preset (null for a custom config), the config, the backend. */
export interface LabState {
  preset: string | null;
  /** The raw config to edit, without its `backend` key (the lab's backend picker owns that). */
  config: Json;
  /** null: the lab picks (webgpu on a hardware, not a software, adapter; else wasm). */
  backend: LabBackend | null;
}

/** The preset a bare URL opens. */
export const DEFAULT_PRESET = 'sparse-parity';

const PARAMS = ['preset', 'config', 'set', 'backend'];

export const isLabBackend = (v: unknown): v is LabBackend =>
  typeof v === 'string' && (LAB_BACKENDS as readonly string[]).includes(v);

/** UTF-8 JSON → base64url (no padding). */
export function encodeConfig(config: Json): string {
  const bytes = new TextEncoder().encode(JSON.stringify(config));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inverse of encodeConfig; a one-line error when the text is not a base64url JSON object. */
export function decodeConfig(text: string): Json {
  let parsed: unknown;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
  } catch {
    throw new Error('URL parameter "config" is not a base64url-encoded JSON config; copy the link again from the lab');
  }
  if (!isObject(parsed))
    throw new Error(`URL parameter "config" must encode a JSON object, but it encodes ${JSON.stringify(parsed)}`);
  return parsed;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads a query string (`location.search`). Unknown parameters, an unknown preset, a malformed
 * `set`, an undecodable `config` or an unknown backend give `{ ok: false, error }`, one line.
 */
export function parseLabQuery(search: string): { ok: true; state: LabState } | { ok: false; error: string } {
  const params = readQuery(search);
  for (const key of new Set(params.keys())) {
    if (!PARAMS.includes(key))
      return { ok: false, error: `unknown URL parameter "${key}"; expected ${PARAMS.join(', ')}` };
  }
  for (const key of ['preset', 'config', 'backend']) {
    if (params.getAll(key).length > 1)
      return { ok: false, error: `URL parameter "${key}" is given ${params.getAll(key).length} times; give it once` };
  }
  const presetName = params.get('preset');
  const encoded = params.get('config');
  if (presetName !== null && encoded !== null)
    return { ok: false, error: 'give the URL parameter "preset" or "config", not both' };
  let decoded: Json | null = null;
  try {
    if (encoded !== null) decoded = decodeConfig(encoded);
  } catch (error) {
    return { ok: false, error: message(error) };
  }
  let config: Json;
  try {
    if (decoded !== null) {
      const expanded = expandExtends(decoded);
      if (!isObject(expanded)) throw new Error('URL parameter "config" must encode a JSON object');
      config = expanded;
    } else {
      config = structuredClone(getPreset(presetName ?? DEFAULT_PRESET).config);
    }
    config = applyOverrides(config, params.getAll('set'));
  } catch (error) {
    return { ok: false, error: `bad URL: ${message(error)}` };
  }
  const { backend: configBackend, ...rest } = config;
  // `auto` (or none) lets the lab pick; another value the lab cannot run was dropped silently.
  if (configBackend !== undefined && configBackend !== 'auto' && !isLabBackend(configBackend))
    return {
      ok: false,
      error: `the config's "backend" must be auto or one of ${LAB_BACKENDS.join(', ')}, but got ${JSON.stringify(configBackend)}`,
    };
  // `backend=auto`, as the CLI's --backend auto, lets the lab pick.
  const asked = params.get('backend');
  const backend = asked === 'auto' ? null : (asked ?? (isLabBackend(configBackend) ? configBackend : null));
  if (backend !== null && !isLabBackend(backend)) {
    return {
      ok: false,
      error: `URL parameter "backend" must be auto or one of ${LAB_BACKENDS.join(', ')}, but got "${backend}"`,
    };
  }
  return {
    ok: true,
    state: { preset: encoded === null ? (presetName ?? DEFAULT_PRESET) : null, config: rest, backend },
  };
}

/** Each leaf of a config by its path, its value as JSON. */
const leaves = (config: Json) => new Map(configFields(config).map((f) => [f.path, JSON.stringify(f.value)]));

/**
 * The `set` assignments that turn `base` into `config`, or null when assignments cannot say it
 * (a key was removed, a path goes through a list of objects, which `--set` cannot address, or
 * they read back as another config: `description` and a misspelt key are refused by `--set`, a
 * rename keeps only the options the new part has).
 */
export function overridesFrom(base: Json, config: Json): string[] | null {
  const before = leaves(base);
  const after = configFields(config);
  const afterPaths = new Set(after.map((f) => f.path));
  for (const path of before.keys()) if (!afterPaths.has(path)) return null;
  const sets: string[] = [];
  for (const f of after) {
    if (before.get(f.path) === JSON.stringify(f.value)) continue;
    if (f.path.includes('[')) return null;
    sets.push(`${f.path}=${fieldText(f.value)}`);
  }
  let rebuilt: Map<string, string>;
  try {
    rebuilt = leaves(applyOverrides(base, sets) as Json);
  } catch {
    return null;
  }
  const wanted = leaves(config);
  return rebuilt.size === wanted.size && [...wanted].every(([path, v]) => rebuilt.get(path) === v) ? sets : null;
}

/** Percent-encodes a query value, leaving the characters a config path or value reads best with. */
const encodeValue = (value: string): string => encodeReadable(value, '=[],:/');

/** The query string (with `?`) that parseLabQuery reads back as `state`. */
export function labQuery(state: LabState): string {
  const parts: string[] = [];
  const sets = state.preset === null ? null : overridesFrom(getPreset(state.preset).config, state.config);
  if (state.preset !== null && sets !== null) {
    parts.push(`preset=${encodeValue(state.preset)}`, ...sets.map((s) => `set=${encodeValue(s)}`));
  } else {
    parts.push(`config=${encodeConfig(state.config)}`);
  }
  if (state.backend !== null) parts.push(`backend=${state.backend}`);
  return `?${parts.join('&')}`;
}
