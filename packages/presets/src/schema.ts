/**
 * The schema machinery lives in `@learnability/core` (schema.ts), one schema per part beside its
 * factory; presets validates whole run configs with it. This is what only the registry adds: what
 * a model or learner knows of its task before the task is built.
 */
import type { Task } from '@learnability/core';

/** What a model or learner must know of its task before the task is built. */
export type TaskShape = Pick<Task, 'name' | 'layout' | 'inputShape' | 'outputSize' | 'outputKind'>;
