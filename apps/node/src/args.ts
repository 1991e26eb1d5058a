import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';
import { didYouMean } from './did-you-mean.js';

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

/**
 * Strict flag parsing: an unknown flag (with a "did you mean") or a missing value is a UsageError
 * naming the command and pointing at its --help.
 */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, positionals = 0) {
  const all: Options = { ...COMMON_OPTIONS, ...options };
  try {
    const parsed = parseArgs({
      args: attachValues(command, argv, all),
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    if (!(parsed.values as { help?: boolean }).help && parsed.positionals.length > positionals) {
      throw new UsageError(
        `${command}: unexpected argument "${parsed.positionals[positionals]}"; see learnability ${command} --help`,
      );
    }
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const unknown = e instanceof Error ? /^Unknown option '(-[^']*)'/.exec(e.message)?.[1] : undefined;
    if (unknown !== undefined) {
      const flags = Object.keys(all).map((f) => `--${f}`);
      throw new UsageError(
        `${command}: unknown flag ${unknown}; ${didYouMean(unknown.replace(/=.*$/, ''), flags, (f) => f)}see learnability ${command} --help`,
      );
    }
    const message =
      e instanceof Error
        ? e.message.replace(/\.? To specify a positional argument.*$/s, '').replace(/\n.*/s, '')
        : String(e);
    throw new UsageError(`${command}: ${message}; see learnability ${command} --help`);
  }
}
