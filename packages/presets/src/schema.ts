/**
 * A small declarative schema for run configs: every option of every part is a field with a
 * type, a default, a range and a doc line. Validation collects every problem at once as
 * `path: message`; the same specs drive `--help` text and the browser lab's forms.
 */
import type { ConfigIssue, Task } from '@learnability/core';

export type FieldSpec =
  | { type: 'int'; default: number; min?: number; max?: number; doc: string }
  | { type: 'number'; default: number; min?: number; max?: number; exclusiveMin?: boolean; doc: string }
  | { type: 'enum'; values: readonly string[]; default: string; doc: string }
  | { type: 'bool'; default: boolean; doc: string }
  | { type: 'int[]'; default: number[]; min?: number; doc: string }
  | { type: 'int?'; default: number | null; min?: number; doc: string };

export type FieldSpecs = Record<string, FieldSpec>;

/** Plain value of a validated field. */
export type FieldValue = number | string | boolean | number[] | null;

/** True for a value a field can hold (what a validated part's options are made of). */
export const isFieldValue = (v: unknown): v is FieldValue =>
  v === null ||
  ['number', 'string', 'boolean'].includes(typeof v) ||
  (Array.isArray(v) && v.every((x) => typeof x === 'number'));

/** A part's validated options, by field name. */
export type Options = Record<string, FieldValue>;

/** What a model or learner must know of its task before the task is built. */
export type TaskShape = Pick<Task, 'name' | 'layout' | 'inputShape' | 'outputSize'>;

/**
 * A rule across fields (heads divide embedSize) or against the task (a sequence model needs a
 * sequence task), written as data beside the field specs. It runs after the per-field checks,
 * once every field it reads is valid, and reports at its first path (`''`: the part itself).
 */
export interface FieldCheck<Ctx = void> {
  paths: readonly string[];
  test(o: Options, ctx: Ctx): boolean;
  /** What is wrong, and the fix where there is one. */
  message(o: Options, ctx: Ctx): string;
}

/** Runs `checks` on validated options `o` of the part at `path`, appending one issue per failed rule. */
export function runChecks<Ctx>(
  checks: readonly FieldCheck<Ctx>[] | undefined,
  o: Options,
  path: string,
  issues: ConfigIssue[],
  ctx: Ctx,
): void {
  for (const check of checks ?? []) {
    if (!check.paths.every((p) => p === '' || p in o) || check.test(o, ctx)) continue;
    const first = check.paths[0] ?? '';
    issues.push({ path: first === '' ? path : `${path}.${first}`, message: check.message(o, ctx) });
  }
}

function describeExpected(spec: FieldSpec): string {
  const range = (min?: number, max?: number) =>
    min !== undefined && max !== undefined
      ? ` in [${min}, ${max}]`
      : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : '';
  switch (spec.type) {
    case 'int':
      return `an integer${range(spec.min, spec.max)}`;
    case 'number':
      return spec.exclusiveMin && spec.min !== undefined
        ? `a number > ${spec.min}${spec.max !== undefined ? ` and ≤ ${spec.max}` : ''}`
        : `a number${range(spec.min, spec.max)}`;
    case 'enum':
      return `one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
    case 'bool':
      return 'true or false';
    case 'int[]':
      return `a non-empty list of integers${range(spec.min)}, e.g. [${spec.default.join(', ')}]`;
    case 'int?':
      return `null or an integer${range(spec.min)}`;
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const inRange = (v: number, min?: number, max?: number) =>
  (min === undefined || v >= min) && (max === undefined || v <= max);

/** Checks one value; returns an error message or null. */
export function checkField(spec: FieldSpec, value: unknown): string | null {
  let ok: boolean;
  switch (spec.type) {
    case 'int':
      ok = isInt(value) && inRange(value, spec.min, spec.max);
      break;
    case 'number':
      ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.exclusiveMin && spec.min !== undefined
          ? value > spec.min && inRange(value, undefined, spec.max)
          : inRange(value, spec.min, spec.max));
      break;
    case 'enum':
      ok = typeof value === 'string' && spec.values.includes(value);
      break;
    case 'bool':
      ok = typeof value === 'boolean';
      break;
    case 'int[]':
      ok = Array.isArray(value) && value.length > 0 && value.every((v) => isInt(v) && inRange(v, spec.min));
      break;
    case 'int?':
      ok = value === null || (isInt(value) && inRange(value, spec.min));
      break;
  }
  return ok ? null : `expected ${describeExpected(spec)}, but got ${show(value)}`;
}

/** Edit distance, for "did you mean" hints on unknown keys. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** "unknown option; did you mean "widths"? (known: …)" */
export function unknownKeyMessage(key: string, known: readonly string[], what = 'option'): string {
  const best = [...known].sort((x, y) => distance(key, x) - distance(key, y))[0];
  const hint =
    best !== undefined && distance(key, best) <= Math.max(2, Math.floor(best.length / 3))
      ? `did you mean "${best}"? `
      : '';
  return `unknown ${what} "${key}"; ${hint}known: ${known.join(', ') || '(none)'}`;
}

/** Validates `raw` against `fields`, filling defaults. Issues are appended with `path` prefixes. */
export function validateFields(
  raw: Record<string, unknown>,
  fields: FieldSpecs,
  path: string,
  issues: ConfigIssue[],
  ignore: readonly string[] = [],
): Options {
  const out: Options = {};
  for (const key of Object.keys(raw)) {
    if (!(key in fields) && !ignore.includes(key))
      issues.push({ path: `${path}.${key}`, message: unknownKeyMessage(key, Object.keys(fields)) });
  }
  for (const [key, spec] of Object.entries(fields)) {
    const value = key in raw ? raw[key] : spec.default;
    const problem = checkField(spec, value);
    if (problem) issues.push({ path: `${path}.${key}`, message: problem });
    else out[key] = value as FieldValue;
  }
  return out;
}

/** One line per field: `name  type = default  doc` (for --help and docs). */
export function describeFields(fields: FieldSpecs): string[] {
  return Object.entries(fields).map(([k, s]) => `${k} (${s.type}, default ${JSON.stringify(s.default)}): ${s.doc}`);
}
