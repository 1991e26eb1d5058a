/** Field specs and checks that several registry entries share: one rule, one message. */
import type { TaskLayout } from '@learnability/core';
import type { FieldCheck } from '@learnability/core';
import { SIGN_LOSSES } from '@learnability/sgd';
import type { TaskShape } from '../schema.js';

const shapeText = (task: TaskShape) => `[${task.inputShape.join(', ')}]`;

/** A model that takes tasks of these layouts only (a mismatch is a config error). */
export function takesLayouts(model: string, layouts: readonly TaskLayout[]): FieldCheck<TaskShape> {
  return {
    paths: [''],
    test: (_o, task) => layouts.includes(task.layout),
    message: (_o, task) =>
      `model "${model}" takes ${layouts.join(' or ')} tasks, but task "${task.name}" is a ${task.layout} task ${shapeText(task)}; pick a model for ${task.layout} tasks`,
  };
}

/** A trainer for these models only (others fail at its `init`). */
export function trainsModels(trainer: string, models: readonly string[], fix: string): FieldCheck<string> {
  return {
    paths: [''],
    test: (_o, model) => models.includes(model),
    message: (_o, model) =>
      `trainer "${trainer}" trains ${models.map((m) => `"${m}"`).join(' or ')} models, but the model is "${model}"; ${fix}`,
  };
}

/** [T, d] of a sequence task, or null for any other. */
function sequenceOf(task: TaskShape): [number, number] | null {
  const [steps, size] = task.inputShape;
  return task.layout === 'sequence' && task.inputShape.length === 2 && steps !== undefined && size !== undefined
    ? [steps, size]
    : null;
}
const needsSequence = (model: string, task: TaskShape) =>
  `model "${model}" needs a sequence task with inputShape [T, d], but task "${task.name}" has ${shapeText(task)}`;

/** A model that reads a sequence task of inputShape [T, d]. */
export function takesSequences(model: string): FieldCheck<TaskShape> {
  return {
    paths: [''],
    test: (_o, task) => sequenceOf(task) !== null,
    message: (_o, task) => needsSequence(model, task),
  };
}

/** [T, d] of the task a sequence model is built for (its `takesSequences` check has passed). */
export function sequenceFor(model: string, task: TaskShape): [number, number] {
  const shape = sequenceOf(task);
  if (shape === null) throw new Error(needsSequence(model, task));
  return shape;
}

/** A trainer's `loss` fits the task's targets: a sign loss needs sign targets. */
export const lossFitsTargets: FieldCheck<TaskShape> = {
  paths: ['loss'],
  // A sign loss on real or one-hot targets trained to the end (`--set trainer.loss=hinge` on the add task).
  test: (o, task) => !(SIGN_LOSSES as readonly unknown[]).includes(o.loss) || task.outputKind === 'sign',
  message: (o, task) =>
    `"${String(o.loss)}" reads targets as signs ±1, but task "${task.name}" has ${task.outputKind === 'class' ? 'one-hot class' : 'real-valued'} targets; use loss "mse"${o.loss === 'hinge' ? ' (hinge is the default of sgd and noisy-gd)' : ''}`,
};
