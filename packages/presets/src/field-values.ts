/**
 * Typed reads of validated options: each returns the type its field spec promised, and throws if
 * it is not there (a registry bug — options reach `create` only after `validateConfig`).
 */
import type { FieldValue, Options } from './schema.js';

const reader =
  <T extends FieldValue>(is: (v: FieldValue | undefined) => v is T, expected: string) =>
  (o: Options, key: string): T => {
    const v = o[key];
    if (is(v)) return v;
    throw new Error(`presets: option "${key}" should be ${expected} once validated, but is ${JSON.stringify(v)}`);
  };

/** An `int` or `number` field. */
export const num = reader((v): v is number => typeof v === 'number', 'a number');
/** An `int?` field. */
export const numOrNull = reader((v): v is number | null => v === null || typeof v === 'number', 'a number or null');
/** An `int[]` field. */
export const nums = reader((v): v is number[] => Array.isArray(v), 'a list of numbers');
/** A `bool` field. */
export const flag = reader((v): v is boolean => typeof v === 'boolean', 'true or false');

/** An `enum` field, typed by the list of values its spec was given. */
export const oneOf = <T extends string>(o: Options, key: string, values: readonly T[]): T =>
  reader((v): v is T => values.some((x) => x === v), `one of ${values.join(', ')}`)(o, key);
