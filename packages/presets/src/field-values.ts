/**
 * Typed reads of validated options: each returns the type its field spec promised, and throws if
 * it is not there (a registry bug — options reach `create` only after `validateConfig`).
 */
import type { FieldValue, Options } from './schema.js';

function bug(key: string, expected: string, value: FieldValue | undefined): never {
  throw new Error(`presets: option "${key}" should be ${expected} once validated, but is ${JSON.stringify(value)}`);
}

/** An `int` or `number` field. */
export function num(o: Options, key: string): number {
  const v = o[key];
  return typeof v === 'number' ? v : bug(key, 'a number', v);
}

/** An `int?` field. */
export function numOrNull(o: Options, key: string): number | null {
  const v = o[key];
  return v === null || typeof v === 'number' ? v : bug(key, 'a number or null', v);
}

/** An `int[]` field. */
export function nums(o: Options, key: string): number[] {
  const v = o[key];
  return Array.isArray(v) ? v : bug(key, 'a list of numbers', v);
}

/** A `bool` field. */
export function flag(o: Options, key: string): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : bug(key, 'true or false', v);
}

/** An `enum` field, typed by the list of values its spec was given. */
export function oneOf<T extends string>(o: Options, key: string, values: readonly T[]): T {
  const v = o[key];
  return values.find((x) => x === v) ?? bug(key, `one of ${values.join(', ')}`, v);
}
