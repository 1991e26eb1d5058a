import { ConfigError } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { getPreset } from './presets.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isObject(v) && isObject(out[k]) ? mergeConfig(out[k] as Json, v) : v;
  return out;
}

/** `{"extends": "sparse-parity", ...}` starts from that preset's config. */
export function expandExtends(raw: unknown): unknown {
  if (!isObject(raw) || typeof raw.extends !== 'string') return raw;
  const { extends: name, ...rest } = raw;
  return mergeConfig(getPreset(name as string).config, rest);
}

/**
 * Applies `path=value` overrides (`--set model.widths=[512]`, `--set trainer.lr=0.05`). The value
 * is parsed as JSON when it can be (numbers, booleans, lists, null), else taken as a string.
 */
export function applyOverrides(raw: Json, assignments: readonly string[]): Json {
  const issues: ConfigIssue[] = [];
  const out = structuredClone(raw);
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
    } catch {
      value = text;
    }
    let node: Json = out;
    for (const key of path.slice(0, -1)) {
      if (!isObject(node[key])) node[key] = {};
      node = node[key] as Json;
    }
    node[path[path.length - 1] as string] = value;
  }
  if (issues.length) throw new ConfigError(issues);
  return out;
}
