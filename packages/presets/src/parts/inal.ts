/**
 * Registry entry for the Boolean targets of Abbe, Cornacchia, Hązła, Marquis 2022 (docs/papers.md §3).
 * A config names a family and its sizes (@learnability/inal's schema); the full spec language
 * (expressions, truth tables, explicit coordinates, k as a function of n) is in
 * @learnability/inal and the `inal` command.
 */
import { BOOLEAN_TASK_SCHEMA, createBooleanTask } from '@learnability/inal';
import { taskPart } from '../part-entry.js';
import type { TaskEntry } from '../part-entry.js';

export const INAL_TASKS: Record<string, TaskEntry> = {
  'boolean-target': taskPart(BOOLEAN_TASK_SCHEMA, {
    doc: 'x uniform on {±1}^n, y = f(x) for a Boolean target on k of the n bits (−1 is "true"): parity, majority, staircase, junta, AND, OR, threshold, random (Abbe et al. 2022)',
    shape: (o) => ({ name: 'boolean-target', layout: 'vector', inputShape: [o.n], outputSize: 1, outputKind: 'sign' }),
    create: (o) => createBooleanTask(o),
  }),
};
