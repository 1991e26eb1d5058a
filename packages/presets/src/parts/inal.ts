/**
 * Registry entry for the Boolean targets of Abbe, Cornacchia, Hązła, Marquis 2022 (PAPERS.md §3).
 * A config names a family and its sizes; the full spec language (expressions, truth tables,
 * explicit coordinates, k as a function of n) is in @learnability/inal and the `inal` command.
 */
import { BOOLEAN_TASK_DEFAULTS, createBooleanTask, TARGET_FAMILIES } from '@learnability/inal';
import { num, oneOf } from '../field-values.js';
import type { TaskEntry } from '../parts.js';
import type { Options } from '../schema.js';
import { kAtMostN, labelNoiseField } from '@learnability/core';

/** The families a config can name (the `expr` and `table` specs are not plain config values). */
export const BOOLEAN_FAMILIES = TARGET_FAMILIES.filter((f) => f !== 'expr' && f !== 'table');

/** The spec string a config's fields stand for, e.g. `parity:3`, `threshold:5:2`, `majority`. */
export function booleanTargetSpec(o: Options): string {
  const family = oneOf(o, 'family', BOOLEAN_FAMILIES);
  if (family === 'majority' && num(o, 'k') === 0) return 'majority';
  return family === 'threshold' ? `threshold:${num(o, 'k')}:${num(o, 't')}` : `${family}:${num(o, 'k')}`;
}

export const INAL_TASKS: Record<string, TaskEntry> = {
  'boolean-target': {
    doc: 'x uniform on {±1}^n, y = f(x) for a Boolean target on k of the n bits (−1 is "true"): parity, majority, staircase, junta, AND, OR, threshold, random (Abbe et al. 2022)',
    fields: {
      family: {
        type: 'enum',
        values: BOOLEAN_FAMILIES,
        default: 'parity',
        doc: 'target family (see @learnability/inal target specs)',
      },
      n: { type: 'int', default: 32, min: 1, max: 1 << 20, doc: 'input bits' },
      k: {
        type: 'int',
        default: 2,
        min: 0,
        doc: 'relevant bits, drawn from seed (majority: 0 means all n bits, n − 1 when n is even)',
      },
      t: { type: 'int', default: 1, min: 1, doc: 'threshold only: y = −1 when at least t of the k bits are −1' },
      noise: labelNoiseField(BOOLEAN_TASK_DEFAULTS.noise),
      seed: {
        type: 'int',
        default: BOOLEAN_TASK_DEFAULTS.seed,
        min: 0,
        doc: 'seed of the relevant bits and of random truth tables',
      },
    },
    checks: [
      kAtMostN,
      {
        paths: ['t', 'k'],
        test: (o) => o.family !== 'threshold' || num(o, 't') <= num(o, 'k'),
        message: (o) => `the threshold must be ≤ k (${num(o, 'k')}), but got ${num(o, 't')}`,
      },
      {
        paths: ['k', 'family'],
        test: (o) => o.family !== 'majority' || num(o, 'k') % 2 === 1 || num(o, 'k') === 0,
        message: (o) => `majority needs an odd number of bits (or 0: all n), but got ${num(o, 'k')}`,
      },
      {
        paths: ['k', 'family'],
        test: (o) => !['and', 'or', 'staircase', 'junta'].includes(String(o.family)) || num(o, 'k') >= 1,
        message: (o) => `${String(o.family)} needs k ≥ 1, but got ${num(o, 'k')}`,
      },
    ],
    shape: (o) => ({ name: 'boolean-target', layout: 'vector', inputShape: [num(o, 'n')], outputSize: 1 }),
    create: (o) =>
      createBooleanTask({ target: booleanTargetSpec(o), n: num(o, 'n'), noise: num(o, 'noise'), seed: num(o, 'seed') }),
  },
};
