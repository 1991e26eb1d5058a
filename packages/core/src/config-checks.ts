/**
 * Config checks for part factories (tasks, learners): each returns the issues it finds so a
 * factory can report every problem at once (STYLE.md rule 3) with `ConfigError`.
 */
import { ConfigError } from './errors.js';
import type { ConfigIssue } from './errors.js';

/** An issue unless `value` is an integer in [min, max]. */
export function checkInt(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): ConfigIssue[] {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return [];
  return [{ path, message: `must be an integer in [${min}, ${max}], but got ${String(value)}` }];
}

/** An issue unless `value` is a number in [min, max]. */
export function checkNumber(path: string, value: unknown, min: number, max: number): ConfigIssue[] {
  if (typeof value === 'number' && value >= min && value <= max) return [];
  return [{ path, message: `must be a number in [${min}, ${max}], but got ${String(value)}` }];
}

/** An issue unless `value` is one of `options`. */
export function checkOneOf(path: string, value: unknown, options: readonly string[]): ConfigIssue[] {
  if (typeof value === 'string' && options.includes(value)) return [];
  return [
    { path, message: `must be one of ${options.map((o) => `"${o}"`).join(', ')}, but got ${JSON.stringify(value)}` },
  ];
}

/** An issue for each key of `config` not in `known` (a misspelt option is an error, not a no-op). */
export function checkKnownKeys(prefix: string, config: object, known: readonly string[]): ConfigIssue[] {
  return Object.keys(config)
    .filter((key) => !known.includes(key))
    .map((key) => ({ path: `${prefix}.${key}`, message: `unknown option; expected one of ${known.join(', ')}` }));
}

/** Throws one `ConfigError` carrying every issue, if there are any. */
export function throwIfIssues(issues: readonly ConfigIssue[]): void {
  if (issues.length > 0) throw new ConfigError([...issues]);
}
