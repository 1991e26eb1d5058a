import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

/**
 * Strict flag parsing: an unknown flag or a missing value is a UsageError naming the command and
 * pointing at its --help.
 */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
    if (!(parsed.values as { help?: boolean }).help && parsed.positionals.length > positionals) {
      throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals]}"; see learnability ${command} --help`);
    }
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const message = e instanceof Error ? e.message.replace(/\.? To specify a positional argument.*$/s, '').replace(/\n.*/s, '') : String(e);
    throw new UsageError(`${command}: ${message}; see learnability ${command} --help`);
  }
}

/** Parses a positive integer flag value, or throws a UsageError naming the flag. */
export function intFlag(command: string, flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${command}: --${flag} must be an integer ≥ ${min}, but got "${value}"`);
  return n;
}

/** Splits a comma-separated flag value into its non-empty, trimmed items (`--rules a,b`). */
export function listFlag(value: string | undefined): string[] | undefined {
  return value?.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** Parses a comma-separated list of positive integers (`--sizes 64,256`). */
export function intListFlag(command: string, flag: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((p) => p === '') || nums.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError(`${command}: --${flag} must be a comma-separated list of positive integers like 64,256, but got "${value}"`);
  }
  return nums;
}
