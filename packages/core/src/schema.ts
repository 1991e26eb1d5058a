/**
 * One typed schema per part: every option of a task, model or trainer is a field with a type, a
 * default (and why it is that), a range, a unit and a doc line; rules across fields are data
 * beside them. The part's factory normalises its config with `resolveOptions`, and
 * `@learnability/presets` validates run configs, writes `--help` and the lab's forms from the same
 * specs. Every problem is reported at once as `path: message`.
 */
import { showValue } from './assert.js';
import { ConfigError } from './errors.js';
import type { ConfigIssue } from './errors.js';

interface FieldDoc {
  /** One line: what the option is. */
  doc: string;
  /** Why the default is what it is (a paper's setting, a measured choice), nanoGPT-style. */
  why?: string;
  /** Unit of a number (`steps`, `examples`), shown after it in --help. */
  unit?: string;
}

export type FieldSpec = FieldDoc &
  (
    | { type: 'int'; default: number; min?: number; max?: number }
    | { type: 'number'; default: number; min?: number; max?: number; exclusiveMin?: boolean }
    | { type: 'enum'; values: readonly string[]; default: string }
    | { type: 'bool'; default: boolean }
    | {
        type: 'int[]';
        default: readonly number[];
        min?: number;
        max?: number;
        maxItems?: number;
        /** Each item at most once: the list is a set of things to measure (input sizes), not a shape. */
        distinct?: boolean;
      }
    | { type: 'int?'; default: number | null; min?: number; max?: number }
  );

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** Plain value of a validated field. */
export type FieldValue = number | string | boolean | number[] | null;

/** A part's validated options, by field name. */
export type Options = Record<string, FieldValue>;

/** The value type a field spec promises (an enum's own union of values). */
export type FieldValueOf<S extends FieldSpec> = S extends { type: 'enum'; values: readonly (infer V)[] }
  ? V
  : S extends { type: 'int' | 'number' }
    ? number
    : S extends { type: 'bool' }
      ? boolean
      : S extends { type: 'int[]' }
        ? number[]
        : number | null;

/** A part's validated options, typed by its fields. */
export type OptionsOf<F extends FieldSpecs> = { -readonly [K in keyof F]: FieldValueOf<F[K]> };

/** True for a value a field can hold (what a validated part's options are made of). */
export const isFieldValue = (v: unknown): v is FieldValue =>
  v === null ||
  ['number', 'string', 'boolean'].includes(typeof v) ||
  (Array.isArray(v) && v.every((x) => typeof x === 'number'));

/**
 * A rule across fields (heads divide embedSize) or against a context (a model against its task),
 * written as data beside the field specs. It runs after the per-field checks, once every field it
 * reads is valid, and reports at its first path (`''`: the part itself).
 */
export interface FieldCheck<Ctx = void, O = Options> {
  paths: readonly string[];
  test(o: O, ctx: Ctx): boolean;
  /** What is wrong, and the fix where there is one. */
  message(o: O, ctx: Ctx): string;
}

/** A part's fields and the rules across them. */
export interface PartSchema<F extends FieldSpecs = FieldSpecs> {
  readonly fields: F;
  readonly checks: readonly FieldCheck<void, OptionsOf<F>>[];
}

/** A part's schema, with its literal types kept (enum values, so options come out typed). */
export const defineSchema = <const F extends FieldSpecs>(
  fields: F,
  checks: readonly FieldCheck<void, OptionsOf<F>>[] = [],
): PartSchema<F> => ({ fields, checks });

/** Every field's default (arrays copied), typed: what a factory fills in for an option not given. */
export const defaultsOf = <F extends FieldSpecs>(schema: PartSchema<F>): OptionsOf<F> =>
  Object.fromEntries(
    Object.entries(schema.fields).map(([k, s]) => [k, Array.isArray(s.default) ? [...s.default] : s.default]),
  ) as OptionsOf<F>;

/** `path.key`, or `key` at the top (`path` ''). */
const pathOf = (path: string, key: string) => (path === '' ? key : key === '' ? path : `${path}.${key}`);

/** Runs `checks` on validated options `o` of the part at `path`, appending one issue per failed rule. */
export function runChecks<Ctx, O extends Options>(
  checks: readonly FieldCheck<Ctx, O>[] | undefined,
  o: O,
  path: string,
  issues: ConfigIssue[],
  ctx: Ctx,
): void {
  for (const check of checks ?? []) {
    if (!check.paths.every((p) => p === '' || p in o) || check.test(o, ctx)) continue;
    issues.push({ path: pathOf(path, check.paths[0] ?? ''), message: check.message(o, ctx) });
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
    case 'int[]': {
      const count = spec.maxItems === undefined ? 'a non-empty list of' : `a list of 1 to ${spec.maxItems}`;
      return `${count} integers${range(spec.min, spec.max)}, e.g. [${spec.default.join(', ')}]`;
    }
    case 'int?':
      return `null or an integer${range(spec.min, spec.max)}`;
  }
}

function show(value: unknown): string {
  // JSON.stringify writes Infinity and NaN (`--set lr=1e999`) as null; 1e999 reads as Infinity,
  // which is a number to JavaScript, so say why it is not one here.
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : `${value} (beyond ±1.8e308, the largest float)`;
  if (typeof value === 'string') return `"${value}"`;
  // In a list (`--set widths=[64,1e999]`) too: JSON would write [64,null], and throw on a BigInt,
  // so what it cannot write as it is goes out as JavaScript instead.
  let lossy = false;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint' || (typeof v === 'number' && !Number.isFinite(v))) lossy = true;
    return typeof v === 'bigint' ? null : v;
  });
  return lossy ? showValue(value) : (json ?? String(value));
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
      ok =
        Array.isArray(value) &&
        value.length > 0 &&
        value.length <= (spec.maxItems ?? Number.POSITIVE_INFINITY) &&
        value.every((v) => isInt(v) && inRange(v, spec.min, spec.max));
      if (ok && spec.distinct) {
        const twice = (value as number[]).find((v, i, all) => all.indexOf(v) !== i);
        if (twice !== undefined) return `expected each value once, but ${twice} is listed twice`;
      }
      break;
    case 'int?':
      ok = value === null || (isInt(value) && inRange(value, spec.min, spec.max));
      break;
  }
  return ok ? null : `expected ${describeExpected(spec)}, but got ${show(value)}`;
}

/**
 * A field's value from text as typed (a flag, a form input): numbers, `null` for an empty or
 * `null` `int?`, `true` / `false`, integer lists split on commas or spaces (brackets allowed; a
 * blank item is not). What cannot be read comes back as the text itself, which `checkField` then
 * rejects with its message.
 */
export function readField(spec: FieldSpec, text: string): unknown {
  const t = text.trim();
  const num = (x: string): unknown => (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(x) ? Number(x) : x);
  switch (spec.type) {
    case 'enum':
      return t;
    case 'bool':
      return t === 'true' ? true : t === 'false' ? false : t;
    case 'int[]': {
      const inner = t.replace(/^\[|\]$/g, '').trim();
      // A blank item (`64,,128`, a trailing comma) is a typo, not a shorter list: left as text.
      if (/(^|,)\s*(,|$)/.test(inner) && inner !== '') return t;
      return inner
        .split(/[\s,]+/)
        .filter((x) => x !== '')
        .map(num);
    }
    case 'int?':
      return t === '' || t === 'null' ? null : num(t);
    default:
      return num(t);
  }
}

/** Edit distance (insertions, deletions, substitutions) between two short words: "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The known word closest to `word`, when it is close enough to be a typo (at most 2 edits, or a
 * third of its length; 1 between words of 3 letters or fewer, where 2 edits make `set` of `out`),
 * or when one is a prefix of the other (`step` → `steps`; a prefix match wins, the nearest of
 * them); else undefined. Every "did you mean" (config keys, the CLI's flags, commands and presets)
 * asks this one rule.
 */
export function closestWord(word: string, known: readonly string[]): string | undefined {
  // A prefix match wins, the nearest of them: `back` is `backend`'s, though 2 edits from `task`.
  // Both sides of 3 letters or more: `nosie` starts with the key `n`, and is a typo of `noise`.
  const prefixes =
    word.length >= 3 ? known.filter((k) => k.startsWith(word) || (k.length >= 3 && word.startsWith(k))) : [];
  const pool = prefixes.length > 0 ? prefixes : known;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of pool) {
    const d = editDistance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  if (best === undefined || prefixes.length > 0) return best;
  const short = Math.min(word.length, best.length) <= 3;
  const edits = short ? 1 : Math.max(2, Math.floor(best.length / 3));
  // Every letter changed is no typo: `T` is one edit from `p`, and shares nothing with it.
  return bestDistance <= edits && bestDistance < word.length ? best : undefined;
}

/** `unknown option "widht"; did you mean "widths"? known: inputSize, widths, …` */
export function unknownKeyMessage(key: string, known: readonly string[], what = 'option'): string {
  const best = closestWord(key, known);
  const hint = best === undefined ? '' : `did you mean "${best}"? `;
  return `unknown ${what} "${key}"; ${hint}known: ${known.join(', ') || '(none)'}`;
}

/** Validates `raw` against `fields`, filling defaults. Issues are appended with `path` prefixes ('' for none). */
export function validateFields(
  raw: Record<string, unknown>,
  fields: FieldSpecs,
  path: string,
  issues: ConfigIssue[],
  ignore: readonly string[] = [],
): Options {
  const out: Options = {};
  for (const key of Object.keys(raw)) {
    // Own keys only: "toString" or "__proto__" is in every object, and no field.
    if (!Object.hasOwn(fields, key) && !ignore.includes(key))
      issues.push({ path: pathOf(path, key), message: unknownKeyMessage(key, Object.keys(fields)) });
  }
  for (const [key, spec] of Object.entries(fields)) {
    const value = Object.hasOwn(raw, key) ? raw[key] : spec.default;
    const problem = checkField(spec, value);
    if (problem) issues.push({ path: pathOf(path, key), message: problem });
    else out[key] = (Array.isArray(value) ? [...value] : value) as FieldValue;
  }
  return out;
}

/**
 * A factory's normalisation: the options given (undefined: not given) over the schema's defaults,
 * every field and rule checked, one `ConfigError` listing every problem as `<part>.<field>:
 * message`. `context` names the config's keys outside the schema (sizes a factory takes from its
 * task, a seed from the run); they pass through unchecked, and any other key is a misspelt option.
 */
export function resolveOptions<F extends FieldSpecs, C extends Partial<OptionsOf<F>>>(
  part: string,
  schema: PartSchema<F>,
  given: C,
  context: readonly (keyof C & string)[] = [],
): Omit<C, keyof F> & OptionsOf<F> {
  // Plain JS may pass null, a number or an array: each would fail on a property read, or pass as no options.
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new ConfigError([
      {
        path: part,
        message: `expected an options object ({ ${Object.keys(schema.fields).slice(0, 2).join(', ')}, … }) or none, but got ${Array.isArray(given) ? 'an array' : showValue(given)}`,
      },
    ]);
  const issues: ConfigIssue[] = [];
  const known = [...Object.keys(schema.fields), ...context];
  for (const key of Object.keys(given))
    if (!known.includes(key)) issues.push({ path: `${part}.${key}`, message: unknownKeyMessage(key, known) });
  const own = Object.entries(given).filter(([k, v]) => Object.hasOwn(schema.fields, k) && v !== undefined);
  const options = validateFields(Object.fromEntries(own), schema.fields, part, issues) as OptionsOf<F>;
  if (issues.length === 0) runChecks(schema.checks, options, part, issues, undefined);
  if (issues.length > 0) throw new ConfigError(issues);
  // A context key given as undefined is not given, as for the schema's own fields: spread as it
  // was, it overwrote the factory's default (`createDense({ inputSize, replicas: opts.replicas })`).
  const others = Object.entries(given).filter(([k, v]) => !Object.hasOwn(schema.fields, k) && v !== undefined);
  return { ...Object.fromEntries(others), ...options } as Omit<C, keyof F> & OptionsOf<F>;
}

/** One line per field: `name (type, default …, unit): doc; why` (for --help and docs). */
export function describeFields(fields: FieldSpecs): string[] {
  return Object.entries(fields).map(([k, s]) => {
    const unit = s.unit ? `, ${s.unit}` : '';
    return `${k} (${s.type}, default ${JSON.stringify(s.default)}${unit}): ${s.doc}${s.why ? ` (${s.why})` : ''}`;
  });
}
