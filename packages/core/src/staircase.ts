/**
 * The staircase curriculum of Garg et al. 2022 (used by Yang et al. 2023): a value that starts at
 * `<name>Start` and grows by `<name>Increment` every `<name>Interval` completed training steps, up
 * to a cap its part knows; a null start turns it off. The in-context task's dims and the looped
 * trainer's loops and points are three of them, with their options and value written once here.
 */
import { assertInt } from './assert.js';
import type { FieldSpec } from './schema.js';

/** The three options of the staircase `name`, as schema fields (`dimsStart`, `dimsIncrement`, `dimsInterval`). */
export type StaircaseFields<N extends string> = {
  readonly [K in `${N}Start`]: {
    readonly type: 'int?';
    readonly default: null;
    readonly min: number;
    readonly doc: string;
  };
} & {
  readonly [K in `${N}Increment` | `${N}Interval`]: {
    readonly type: 'int';
    readonly default: number;
    readonly min: number;
    readonly doc: string;
  };
};

/**
 * The fields of staircase `name`, off by default: `what` names it at the start of each doc line
 * (`dims curriculum`), `start` says what its first value is and what null means.
 */
export function staircaseFields<N extends string>(
  name: N,
  what: string,
  start: string,
  increment: number,
  interval: number,
): StaircaseFields<N> {
  const fields: Record<string, FieldSpec> = {
    [`${name}Start`]: { type: 'int?', default: null, min: 1, doc: `${what}: ${start}` },
    [`${name}Increment`]: {
      type: 'int',
      default: increment,
      min: 0,
      doc: `${what}: added every ${name}Interval steps`,
    },
    [`${name}Interval`]: { type: 'int', default: interval, min: 1, doc: `${what}: steps between increments` },
  };
  return fields as StaircaseFields<N>;
}

/** The value after `completed` steps: min(cap, start + increment · ⌊completed / interval⌋); null when off. */
export function staircaseAt(
  start: number | null,
  increment: number,
  interval: number,
  completed: number,
  cap: number,
): number | null {
  assertInt('staircase: completed steps', completed, 0);
  if (start !== null) assertInt('staircase: start', start, 1);
  assertInt('staircase: increment', increment, 0);
  assertInt('staircase: interval', interval, 1);
  return start === null ? null : Math.min(cap, start + increment * Math.floor(completed / interval));
}
