/**
 * The schema of run configs lives in `@learnability/core` (schema.ts), one per part beside its
 * factory; presets validates whole run configs with it. This file adds what only the registry
 * needs: what a model or learner knows of its task before the task is built.
 */
import type { Task } from '@learnability/core';

export {
  checkField,
  describeFields,
  isFieldValue,
  runChecks,
  unknownKeyMessage,
  validateFields,
} from '@learnability/core';
export type { FieldCheck, FieldSpec, FieldSpecs, FieldValue, Options } from '@learnability/core';

/** What a model or learner must know of its task before the task is built. */
export type TaskShape = Pick<Task, 'name' | 'layout' | 'inputShape' | 'outputSize'>;
