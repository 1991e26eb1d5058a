/**
 * Registry entries from a part's own schema (its package owns fields, defaults and rules). A leaf
 * module: the entry files under parts/ call these while parts.ts is still importing them, and a
 * helper of parts.ts itself would not be initialised yet (tsx: `__name is not a function`).
 */
import type { FieldSpecs, OptionsOf, PartSchema, Task } from '@learnability/core';
import type { PartEntry, TaskEntry } from './parts.js';
import type { TaskShape } from './schema.js';

/** What an entry adds to its part's schema; `create` and `shape` read options typed by its fields. */
interface EntryOf<F extends FieldSpecs, T, Ctx> extends Omit<PartEntry<T, Ctx>, 'fields' | 'checks' | 'create'> {
  create(options: OptionsOf<F>, ctx: Ctx): T;
}

/** A registry entry from a schema. The one cast: `validateConfig` has checked the options against these same fields. */
export function part<F extends FieldSpecs, T, Ctx>(
  schema: PartSchema<F>,
  entry: EntryOf<F, T, Ctx>,
): PartEntry<T, Ctx> {
  return { ...entry, ...schema, create: (o, ctx) => entry.create(o as OptionsOf<F>, ctx) } as PartEntry<T, Ctx>;
}

/** A task entry from its schema, with the shape it will have read from its typed options. */
export function taskPart<F extends FieldSpecs>(
  schema: PartSchema<F>,
  entry: EntryOf<F, Task, Record<string, never>> & { shape(options: OptionsOf<F>): TaskShape },
): TaskEntry {
  return { ...part(schema, entry), shape: (o) => entry.shape(o as OptionsOf<F>) };
}
