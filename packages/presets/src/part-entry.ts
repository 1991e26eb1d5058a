/**
 * A registry entry: a part's schema (owned by its package), its doc line, the rules that compose
 * it with other parts, and how to build it from validated options. Apart from parts.ts so that
 * parts/*.ts can build entries while parts.ts, which imports them, is still loading.
 */
import type { OptionsOf, PartSchema, Task } from '@learnability/core';
import type { FieldCheck, FieldSpecs, Options } from '@learnability/core';
import type { TaskShape } from './schema.js';

export interface PartEntry<T, Ctx> {
  doc: string;
  fields: FieldSpecs;
  /** Rules across this part's fields, as data (every error at once). */
  checks?: readonly FieldCheck[];
  /** Rules against the task (models, learners); they run when the task itself is valid. */
  taskChecks?: readonly FieldCheck<TaskShape>[];
  /** Rules against the model's name (trainers that train some models only). */
  modelChecks?: readonly FieldCheck<string>[];
  create(options: Options, ctx: Ctx): T;
}

/** A task entry also says, from its options alone, what the built task will look like. */
export interface TaskEntry extends PartEntry<Task, Record<string, never>> {
  shape(options: Options): TaskShape;
  /**
   * A task over a finite dataset: how many distinct examples its test sets and its training
   * examples are drawn from, so that a run asking for more is refused (they would repeat). Absent:
   * examples are drawn fresh, without limit.
   */
  pools?(options: Options): { train: number; test: number };
}

/** What an entry adds to its part's schema; `create` and `shape` read options typed by its fields. */
interface EntryOf<F extends FieldSpecs, T, Ctx> extends Omit<PartEntry<T, Ctx>, 'fields' | 'checks' | 'create'> {
  create(options: OptionsOf<F>, ctx: Ctx): T;
}

/**
 * A registry entry from the part's own schema (its package owns fields, defaults and rules). The
 * one cast: `validateConfig` has checked the options against these same fields.
 */
export function part<F extends FieldSpecs, T, Ctx>(
  schema: PartSchema<F>,
  entry: EntryOf<F, T, Ctx>,
): PartEntry<T, Ctx> {
  return { ...entry, ...schema, create: (o, ctx) => entry.create(o as OptionsOf<F>, ctx) } as PartEntry<T, Ctx>;
}

/** A task entry from its schema, with the shape it will have read from its typed options. */
export function taskPart<F extends FieldSpecs>(
  schema: PartSchema<F>,
  entry: EntryOf<F, Task, Record<string, never>> & {
    shape(options: OptionsOf<F>): TaskShape;
    pools?(options: OptionsOf<F>): { train: number; test: number };
  },
): TaskEntry {
  const { pools } = entry;
  return {
    ...part(schema, entry),
    shape: (o) => entry.shape(o as OptionsOf<F>),
    ...(pools ? { pools: (o: Options) => pools(o as OptionsOf<F>) } : {}),
  };
}
