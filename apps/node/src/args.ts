import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';
import { closestWord } from '@learnability/core';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

/**
 * Before node's parseArgs, which calls both cases "argument is ambiguous": a string flag followed by
 * a negative number takes it as its value (`--steps -3` → `--steps=-3`, which the flag's own check
 * then rejects by name); a string flag followed by nothing or by another flag is a UsageError.
 */
function attachValues(command: string, argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    out.push(arg);
    if (arg === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const spec = name === undefined ? undefined : options[name];
    if (spec?.type !== 'string') continue;
    const next = argv[i + 1];
    if (next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out[out.length - 1] = `${arg}=${next}`;
      i++;
    } else if (next === undefined || next.startsWith('-')) {
      throw new UsageError(
        `${command}: ${arg} needs a value${next === undefined ? '' : `, but the next argument is the flag "${next}"`}; see learnability ${command} --help`,
      );
    }
  }
  return out;
}

/** `--name` or `-x`; not a negative number (`-3`, `-.5`), which is a value. */
const isFlag = (arg: string) => /^--./.test(arg) || /^-[^-\d.]/.test(arg);

/**
 * The flags of `argv` that `options` does not know, each as "unknown flag --stpes (did you mean
 * --steps?)", and `argv` without them; an unknown flag's value goes too (the next argument, unless it
 * is a flag), so that it is not read as a positional or a flag of its own.
 */
function withoutUnknown(argv: string[], options: Options): { known: string[]; unknown: string[] } {
  const names = Object.keys(options).map((f) => `--${f}`);
  const shorts = new Set(Object.values(options).map((o) => (o.short ? `-${o.short}` : '')));
  const known: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      known.push(...argv.slice(i));
      break;
    }
    const flag = arg.replace(/=.*$/s, '');
    if (!isFlag(arg) || names.includes(flag) || shorts.has(flag)) {
      known.push(arg);
      continue;
    }
    const hint = flag.startsWith('--') ? closestWord(flag, names) : undefined;
    unknown.push(`unknown flag ${flag}${hint === undefined ? '' : ` (did you mean ${hint}?)`}`);
    const next = argv[i + 1];
    if (!arg.includes('=') && next !== undefined && next !== '--' && !isFlag(next)) i++;
  }
  return { known, unknown };
}

/**
 * A flag that does not repeat (a value flag or a switch) given twice (`--steps 100 … --steps 200`),
 * as "--steps: given twice (100, then 200); give it once": node keeps the last, which hides the
 * first. Repeatable flags (`multiple`, such as `--set`) may repeat, and so may --help, which always
 * answers. An empty value shows as "".
 */
function givenTwice(tokens: ReturnType<typeof parseArgs>['tokens'] = [], options: Options): string[] {
  const seen = new Map<string, (string | undefined)[]>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === 'help' || options[t.name]?.multiple) continue;
    seen.set(t.name, [...(seen.get(t.name) ?? []), t.value]);
  }
  return [...seen]
    .filter(([, values]) => values.length > 1)
    .map(([name, values]) => {
      const shown = values.every((v) => v === undefined)
        ? ''
        : ` (${values.map((v) => (v === '' ? '""' : v)).join(', then ')})`;
      return `--${name}: given ${values.length === 2 ? 'twice' : `${values.length} times`}${shown}; give it once`;
    });
}

/**
 * Strict flag parsing: an unknown flag (with a "did you mean") or a missing value is a UsageError
 * naming the command and pointing at its --help. With `unknown`, the unknown flags' messages are
 * added to it instead, so that a caller can report them with its own checks, in one error.
 */
export function parseFlags<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals = 0,
  unknown?: string[],
) {
  const all: Options = { ...COMMON_OPTIONS, ...options };
  const split = withoutUnknown(argv, all);
  if (unknown) unknown.push(...split.unknown);
  else if (split.unknown.length > 0)
    throw new UsageError(`${command}: ${split.unknown.join('; ')}; see learnability ${command} --help`);
  try {
    const parsed = parseArgs({
      args: attachValues(command, split.known, all),
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    const twice = givenTwice(parsed.tokens, all);
    if (twice.length > 0 && unknown) unknown.push(...twice);
    else if (twice.length > 0)
      throw new UsageError(`${command}: ${twice.join('; ')}; see learnability ${command} --help`);
    if (!(parsed.values as { help?: boolean }).help && parsed.positionals.length > positionals) {
      throw new UsageError(
        `${command}: unexpected argument "${parsed.positionals[positionals]}"; see learnability ${command} --help`,
      );
    }
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const raw = e instanceof Error ? e.message : String(e);
    // `--json=false`: node says "Option '--json' does not take an argument".
    const toggle = /^Option '(--[\w-]+)' does not take an argument/.exec(raw)?.[1];
    const message = toggle
      ? `${toggle} is a switch and takes no value: write ${toggle} to turn it on, or leave it out`
      : raw.replace(/\.? To specify a positional argument.*$/s, '').replace(/\n.*/s, '');
    throw new UsageError(`${command}: ${message}; see learnability ${command} --help`);
  }
}
