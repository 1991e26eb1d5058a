/**
 * A command's flags as data: core's field specs (int, number, enum, bool, int[], int?; a part's
 * schema fields can be flags as they are) plus strings and comma-separated string lists, each with
 * its default and doc line. Parsing reports every bad flag at once as `--flag: message`, and
 * `--help` is derived from the same specs. Named experiments and commands both use it.
 */
import { WASM_MAX_THREADS } from '@learnability/backends';
import { checkField, readField } from '@learnability/core';
import type { FieldSpec } from '@learnability/core';
import { parseFlags } from './args.js';
import { UsageError } from './cli-error.js';

/**
 * A string (`string`), a repeatable string (`strings`: `--set a=1 --set b=2`), a comma-separated
 * list of strings (`string[]`, optionally from `values`), or of integers that may be empty (`ints`:
 * `--sizes ''` skips that part). A string's `arg` names its value in --help (`--out dir`; else
 * `text`); `nonEmpty` refuses an empty value given on the command line (`--steps ""`), for strings
 * whose empty default means "not given" rather than a choice.
 */
export type StringFlag =
  | { type: 'string'; default: string; doc: string; arg?: string; nonEmpty?: boolean }
  | { type: 'strings'; default: string[]; doc: string; arg?: string }
  | { type: 'string[]'; default: string[]; values?: readonly string[]; doc: string }
  | { type: 'ints'; default: number[]; min?: number; doc: string };

export type FlagSpec = FieldSpec | StringFlag;
export type FlagSpecs = Record<string, FlagSpec>;

/** The parsed value of one flag. */
export type FlagValue<S extends FlagSpec> = S extends { type: 'int' | 'number' }
  ? number
  : S extends { type: 'int?' }
    ? number | null
    : S extends { type: 'int[]' | 'ints' }
      ? number[]
      : S extends { type: 'bool' }
        ? boolean
        : S extends { type: 'string[]' | 'strings' }
          ? string[]
          : S extends { type: 'enum'; values: readonly (infer V)[] }
            ? V
            : string;

export type FlagValues<F extends FlagSpecs> = { [K in keyof F]: FlagValue<F[K]> };

/** Comma-separated items, trimmed; all blank is no items, and a blank item among others is null (`64,,128`: a typo). */
function list(text: string): string[] | null {
  if (text.trim() === '') return [];
  const items = text.split(',').map((x) => x.trim());
  return items.includes('') ? null : items;
}

/** Text to the value `spec` checks; what cannot be read is passed on as text, which the check then rejects. */
function read(spec: FlagSpec, text: string): unknown {
  // A list with a blank item stays the text it was, which the check then refuses.
  if (spec.type === 'ints') return list(text)?.map((x) => (Number.isNaN(Number(x)) ? x : Number(x))) ?? text;
  if (spec.type === 'string[]') return list(text) ?? text;
  if (spec.type === 'string' || spec.type === 'strings') return text;
  return readField(spec, text);
}

function checkString(spec: StringFlag, value: unknown): string | null {
  if (spec.type === 'string' || spec.type === 'strings') return null;
  if (typeof value === 'string') return `expected comma-separated items with none blank, but got "${value}"`;
  if (spec.type === 'ints') {
    const min = spec.min ?? Number.NEGATIVE_INFINITY;
    const ok = (value as unknown[]).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min);
    return ok
      ? null
      : `expected comma-separated integers${spec.min === undefined ? '' : ` ≥ ${spec.min}`} (or '' for none), but got ${JSON.stringify(value)}`;
  }
  const items = value as string[];
  if (items.length === 0) return 'expected a non-empty comma-separated list';
  const bad = spec.values ? items.find((x) => !spec.values?.includes(x)) : undefined;
  return bad === undefined ? null : `unknown value "${bad}"; known: ${spec.values?.join(', ')}`;
}

/**
 * A comma-separated list flag names a set of things to run or measure (sizes, widths, targets), so
 * an item given twice is a typo that would run it twice: refused.
 */
function repeated(spec: FlagSpec, value: unknown): string | null {
  if (spec.type === 'strings' && /=value$/.test(spec.arg ?? '') && Array.isArray(value)) return setTwice(value);
  if (!['int[]', 'ints', 'string[]'].includes(spec.type) || !Array.isArray(value)) return null;
  const twice = value.find((x, i) => value.indexOf(x) !== i);
  return twice === undefined ? null : `${twice} is listed twice; give each value once`;
}

/**
 * A repeated `--set path=value` (`--set trainer.lr=0.1 --set trainer.lr=0.2`) would keep the last
 * value without a word: refused, naming both.
 */
function setTwice(assignments: readonly string[]): string | null {
  const pathOf = (a: string) => a.slice(0, Math.max(0, a.indexOf('='))).trim();
  for (const [i, a] of assignments.entries()) {
    const path = pathOf(a);
    if (path === '') continue;
    const again = assignments.slice(i + 1).find((b) => pathOf(b) === path);
    if (again !== undefined) return `${path} is set twice (${a}, then ${again}); give it once`;
  }
  return null;
}

/**
 * With `--queue` the runs train on the queue's workers, so a `--workers` given here would do
 * nothing: refused (for `check`; `given`: the flags on the command line).
 */
export function workersOnQueue(values: { queue: string }, given: ReadonlySet<string>): string[] {
  return values.queue !== '' && given.has('workers')
    ? [
        "--workers: with --queue the runs train on the queue's workers; start as many as you like with learnability worker --queue url (--concurrency N each)",
      ]
    : [];
}

/** A backend that never runs wasm (auto may). */
export const offWasm = (backend: string): boolean => backend === 'cpu' || backend === 'webgpu';

/**
 * `--threads` sets wasm's thread count: with another backend it would be ignored, so it is refused
 * (for `check`; `backend` is the flag's value, where `auto` may still choose wasm). `given`: the
 * flags on the command line, for a --threads whose default is not null (rcnn-vs-elimination's 1).
 */
export function threadsOffWasm(
  values: { threads: number | null; backend: string },
  given?: ReadonlySet<string>,
): string[] {
  const threads = given ? given.has('threads') : values.threads !== null;
  return threads && offWasm(values.backend)
    ? [`--threads: sets wasm's thread count, but this runs on ${values.backend}; drop --threads or use --backend wasm`]
    : [];
}

/**
 * Parses `argv` against `specs` (and the common --help, --json; up to `positionals` positional
 * arguments), filling defaults; then, if every flag is valid, `check` finds what is wrong across
 * flags (`given`: the flags on the command line, for a default that must not count as a choice;
 * returned too).
 * Throws one UsageError listing every problem, unknown flags first, as `command: --flag: message`.
 */
export function parseSchemaFlags<F extends FlagSpecs>(
  command: string,
  argv: string[],
  specs: F,
  check: (values: FlagValues<F>, given: ReadonlySet<string>) => string[] = () => [],
  positionals = 0,
): { values: FlagValues<F>; given: ReadonlySet<string>; positionals: string[]; help: boolean; json: boolean } {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [
      name,
      { type: s.type === 'bool' ? 'boolean' : 'string', multiple: s.type === 'strings' } as const,
    ]),
  );
  const issues: string[] = [];
  const args = parseFlags(command, argv, options, positionals, issues);
  const parsed = args.values as Record<string, string | boolean | string[] | undefined>;
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const given = parsed[name];
    const isString =
      spec.type === 'string' || spec.type === 'strings' || spec.type === 'string[]' || spec.type === 'ints';
    // An empty value given to a number, enum or optional flag is refused as it was typed (`--threads ""`),
    // not read as "not given", which would quietly keep the default.
    const value =
      typeof given === 'string' ? (given === '' && !isString ? given : read(spec, given)) : (given ?? spec.default);
    const emptyRefused = spec.type === 'string' && spec.nonEmpty === true && given === '';
    const problem = emptyRefused
      ? 'expected a value, but got ""; leave the flag out for the default'
      : ((isString
          ? checkString(spec, value)
          : // A flag given a value is never null (its default may be): "null or …" is config-file wording.
            checkField(spec, value)?.replace(/^expected null or /, 'expected ')) ?? repeated(spec, value));
    if (problem) issues.push(`--${name}: ${problem}`);
    values[name] = value;
  }
  const given = new Set(Object.keys(specs).filter((name) => parsed[name] !== undefined));
  if (issues.length === 0) issues.push(...check(values as FlagValues<F>, given));
  if (issues.length && parsed.help !== true)
    throw new UsageError(`${command}: ${issues.join('; ')}; see learnability ${command} --help`);
  const help = parsed.help === true;
  return { values: values as FlagValues<F>, given, positionals: args.positionals, help, json: parsed.json === true };
}

const PLACEHOLDER: Record<FlagSpec['type'], string> = {
  int: ' N',
  'int?': ' N',
  number: ' x',
  enum: ' name',
  bool: '',
  'int[]': ' a,b,…',
  ints: ' a,b,…',
  'string[]': ' a,b,…',
  string: ' text',
  strings: ' text',
};

const shown = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));

/** `--help` lines: `  --name value   doc (default … unit: why)`, one per flag, in the order written (value: the flag's `arg`, else its type's placeholder). */
export function flagHelp(specs: FlagSpecs): string {
  const headOf = (name: string, s: FlagSpec) => `  --${name}${'arg' in s && s.arg ? ` ${s.arg}` : PLACEHOLDER[s.type]}`;
  // One column for every doc line: past the longest flag, at least 22 characters in.
  const column = Math.max(22, ...Object.entries(specs).map(([name, s]) => headOf(name, s).length + 1));
  return Object.entries(specs)
    .map(([name, s]) => {
      const head = headOf(name, s);
      const values = s.type === 'enum' || s.type === 'string[]' ? s.values : undefined;
      const choices = values ? ` (${values.join(' | ')})` : '';
      const none = s.default === false || s.default === '' || s.default === null || shown(s.default) === '';
      const why = 'why' in s && s.why ? `: ${s.why}` : '';
      const unit = 'unit' in s && s.unit ? ` ${s.unit}` : '';
      const fallback = none ? '' : ` (default ${shown(s.default)}${unit}${why})`;
      return `${head.padEnd(column)} ${s.doc}${choices}${fallback}`;
    })
    .join('\n');
}

/** A `--threads N` flag: wasm's thread count, 1 to tfjs-wasm's pool (8); `null` when not given. */
export const wasmThreadsFlag = <D extends string>(doc: D) =>
  ({ type: 'int?', default: null, min: 1, max: WASM_MAX_THREADS, doc }) as const;
