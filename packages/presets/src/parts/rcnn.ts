/**
 * Registry entry for the recurrent convolutional network of Goel, Kakade, Kalai, Zhang 2022
 * (docs/papers.md §2). Its options are @learnability/rcnn's schema; input shape and outputs come from
 * the task: `[d]` (direct use, e.g. sparse-parity) or `[rows, cols]` (an in-context prompt, e.g.
 * in-context-parity).
 */
import type { Model } from '@learnability/core';
import { createRcnn, RCNN_SCHEMA } from '@learnability/rcnn';
import type { RcnnOptions } from '@learnability/rcnn';
import { part } from '../part-entry.js';
import type { PartEntry } from '../part-entry.js';
import type { ModelContext } from '../parts.js';
import type { FieldCheck } from '@learnability/core';
import type { TaskShape } from '../schema.js';

/** The input grid: a vector [d] is one row of d cells, a prompt [rows, cols] is rows × cols. */
const inputGrid = (task: TaskShape) =>
  task.inputShape.length === 1 ? [1, task.inputShape[0] ?? 0] : [task.inputShape[0] ?? 0, task.inputShape[1] ?? 0];

/** gridHeight / gridWidth (null: the input's own) hold at least the input rows / columns. */
const gridFits = (field: keyof RcnnOptions, axis: 0 | 1, what: string): FieldCheck<TaskShape> => ({
  paths: [field],
  test: (o, task) => {
    const size = o[field];
    return task.inputShape.length > 2 || typeof size !== 'number' || size >= (inputGrid(task)[axis] ?? 0);
  },
  message: (o, task) =>
    `must be ≥ the ${inputGrid(task)[axis]} input ${what} of task "${task.name}" (or null), but got ${String(o[field])}`,
});

export const RCNN_MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  rcnn: part(RCNN_SCHEMA, {
    doc: 'recurrent convolutional network: dense first layer onto a grid, one k×k filter applied T times with the input re-injected, pixel-wise MLP summed; parameters constant in grid size and T (Goel et al. 2022)',
    taskChecks: [
      {
        paths: [''],
        test: (_o, task) => task.inputShape.length === 1 || task.inputShape.length === 2,
        message: (_o, task) =>
          `model "rcnn" needs a task with inputShape [d] or [rows, cols], but task "${task.name}" has [${task.inputShape.join(', ')}]`,
      },
      gridFits('gridHeight', 0, 'rows'),
      gridFits('gridWidth', 1, 'columns'),
    ],
    create: (o, { task, replicas }) =>
      createRcnn({ ...o, inputShape: task.inputShape, outputSize: task.outputSize, replicas }),
  }),
};
