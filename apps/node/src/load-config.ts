import { PRESETS, applyOverrides, expandExtends, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { ConfigError } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { UsageError } from './cli-error.js';
import { didYouMean } from './did-you-mean.js';
import { parseUserJson, readUserFile } from './user-file.js';
import { cliName, shellWord } from './shell-word.js';

/** Overrides that flags make, applied after `--set`; a flag's text is parsed as a `--set` value is. */
export interface FlagOverrides {
  set: string[];
  backend?: string;
  seed?: number | string;
  replicas?: number | string;
  steps?: number | string;
}

/**
 * Reads a config file or a preset name into a raw config object for `command` (which its errors
 * name). An unknown name gets a "did you mean" among the presets and `alsoKnown` (e.g. the named
 * experiments).
 */
export function loadRawConfig(
  command: string,
  source: string,
  alsoKnown: readonly string[] = [],
): { name: string; raw: Record<string, unknown> } {
  const looksLikeFile = source.endsWith('.json') || source.includes('/');
  if (!looksLikeFile) {
    const preset = PRESETS.find((p) => p.name === source);
    if (preset) return { name: source, raw: structuredClone(preset.config) };
    const names = PRESETS.map((p) => p.name);
    throw new UsageError(
      `${command}: unknown preset "${source}"; ${didYouMean(source, [...names, ...alsoKnown])}known presets: ${names.join(', ')} (or pass a config .json file)`,
    );
  }
  const text = readUserFile(`${command}: config file "${source}"`, source, {
    missing: 'pass a preset name (learnability presets) or a .json path',
    directory: 'pass a .json file or a preset name',
  });
  const parsed = parseUserJson(`${command}: config file "${source}"`, text);
  // A sweep spec here failed with every one of its keys unknown, and "base": did you mean "task"?
  if (typeof parsed === 'object' && parsed !== null && 'axes' in parsed && !('task' in parsed))
    throw new UsageError(
      `${command}: config file "${source}" is a sweep spec (it has "axes"), not a run config: run it with ${cliName()} sweep ${shellWord(source)}`,
    );
  let expanded: unknown;
  try {
    expanded = expandExtends(parsed);
  } catch (e) {
    throw new UsageError(`${command}: config file "${source}": ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof expanded !== 'object' || expanded === null || Array.isArray(expanded)) {
    throw new UsageError(
      `${command}: config file "${source}" must hold a JSON object like {"extends": "sparse-parity", "run": {"steps": 1000}}`,
    );
  }
  const name = source.replace(/^.*\//, '').replace(/\.json$/, '');
  return { name, raw: expanded as Record<string, unknown> };
}

/** The config path each flag sets. */
const FLAG_PATHS = { backend: 'backend', seed: 'run.seed', replicas: 'run.replicas', steps: 'run.steps' } as const;

/** Whether `--set <at>=<text>` gives a value at `path`: its own path, or a part's object holding it. */
export function setsPath(assignment: string, path: string): boolean {
  const eq = assignment.indexOf('=');
  if (eq <= 0) return false; // no path=value: applyOverrides says so
  const at = assignment.slice(0, eq).trim();
  if (at === path) return true;
  if (!path.startsWith(`${at}.`)) return false;
  let value: unknown;
  try {
    value = JSON.parse(assignment.slice(eq + 1));
  } catch {
    return false;
  }
  for (const key of path.slice(at.length + 1).split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * A flag given beside a `--set` of its path would replace that value without a word:
 * `--set run.steps=10 --steps 20` ran 20 steps, as did `--set 'run={"steps":10}' --steps 20`.
 */
function setBesideFlag(flags: FlagOverrides): ConfigIssue[] {
  return Object.entries(FLAG_PATHS).flatMap(([flag, path]) => {
    if (flags[flag as keyof typeof FLAG_PATHS] === undefined) return [];
    const set = flags.set.find((s) => setsPath(s, path));
    return set === undefined
      ? []
      : [{ path: `--${flag}`, message: `given with --set ${set}, which it would override; give one of them` }];
  });
}

/** Raw config + flags → validated config (ConfigError lists every problem). */
export function buildConfig(raw: Record<string, unknown>, flags: FlagOverrides): ResolvedConfig {
  const clash = setBesideFlag(flags);
  if (clash.length > 0) throw new ConfigError(clash);
  const sets = [...flags.set];
  if (flags.backend !== undefined) sets.push(`backend=${JSON.stringify(flags.backend)}`);
  if (flags.seed !== undefined) sets.push(`run.seed=${flags.seed}`);
  if (flags.replicas !== undefined) sets.push(`run.replicas=${flags.replicas}`);
  if (flags.steps !== undefined) sets.push(`run.steps=${flags.steps}`);
  return validateConfig(applyOverrides(raw, sets));
}
