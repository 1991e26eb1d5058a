/**
 * Registry entry for the recurrent convolutional network of Goel, Kakade, Kalai, Zhang 2022
 * (PAPERS.md §2). Input shape and outputs come from the task: `[d]` (direct use, e.g.
 * sparse-parity) or `[rows, cols]` (an in-context prompt, e.g. in-context-parity).
 */
import type { Model } from '@learnability/core';
import { createRcnn, RCNN_DEFAULTS } from '@learnability/rcnn';
import type { RcnnEmbedding, RcnnUpdate } from '@learnability/rcnn';
import { num, numOrNull, oneOf } from '../field-values.js';
import type { ModelContext, PartEntry } from '../parts.js';
import type { FieldCheck, Options, TaskShape } from '../schema.js';

const UPDATES: readonly RcnnUpdate[] = ['gated', 'residual'];
const EMBEDDINGS: readonly (RcnnEmbedding | 'auto')[] = ['auto', 'cell', 'dense'];

/** The input grid: a vector [d] is one row of d cells, a prompt [rows, cols] is rows × cols. */
const inputGrid = (task: TaskShape) =>
  task.inputShape.length === 1 ? [1, task.inputShape[0] ?? 0] : [task.inputShape[0] ?? 0, task.inputShape[1] ?? 0];

/** gridHeight / gridWidth hold at least the input rows / columns. */
const gridFits = (field: string, axis: 0 | 1, what: string): FieldCheck<TaskShape> => ({
  paths: [field],
  test: (o, task) => task.inputShape.length > 2 || (numOrNull(o, field) ?? Infinity) >= (inputGrid(task)[axis] ?? 0),
  message: (o: Options, task) =>
    `must be ≥ the ${inputGrid(task)[axis]} input ${what} of task "${task.name}" (or null), but got ${numOrNull(o, field)}`,
});

export const RCNN_MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  rcnn: {
    doc: 'recurrent convolutional network: dense first layer onto a grid, one k×k filter applied T times with the input re-injected, pixel-wise MLP summed; parameters constant in grid size and T (Goel et al. 2022)',
    fields: {
      gridHeight: {
        type: 'int?',
        default: RCNN_DEFAULTS.gridHeight,
        min: 1,
        doc: 'grid rows (null: the input rows; 1 for a vector input)',
      },
      gridWidth: {
        type: 'int?',
        default: RCNN_DEFAULTS.gridWidth,
        min: 1,
        doc: 'grid columns (null: the input columns); extra cells are workspace',
      },
      channels: { type: 'int', default: RCNN_DEFAULTS.channels, min: 1, doc: 'channels C per cell' },
      kernelSize: {
        type: 'int',
        default: RCNN_DEFAULTS.kernelSize,
        min: 1,
        max: 15,
        doc: 'side k of the one k×k filter (odd)',
      },
      depth: {
        type: 'int?',
        default: RCNN_DEFAULTS.depth,
        min: 1,
        doc: 'steps T the filter is applied (null: input rows + columns)',
      },
      update: {
        type: 'enum',
        values: UPDATES,
        default: RCNN_DEFAULTS.update,
        doc: 'gated: s ← (1−u)s + u·tanh(a) (Neural GPU); residual: s ← s + tanh(a)/√T',
      },
      embedding: {
        type: 'enum',
        values: EMBEDDINGS,
        default: RCNN_DEFAULTS.embedding,
        doc: 'first layer: dense (all inputs → every input cell) or cell (x·U + P per cell); auto: dense for vectors, cell for prompts',
      },
      gateBias: { type: 'number', default: RCNN_DEFAULTS.gateBias, doc: 'initial gate bias: u ≈ σ(gateBias) at init' },
      readoutWidth: {
        type: 'int',
        default: RCNN_DEFAULTS.readoutWidth,
        min: 1,
        doc: 'hidden width of the pixel-wise readout MLP',
      },
      checkpointEvery: {
        type: 'int?',
        default: RCNN_DEFAULTS.checkpointEvery,
        min: 0,
        doc: 'gradient checkpointing: steps per recomputed segment (0: off; null: ⌈√T⌉ when T ≥ 16)',
      },
    },
    checks: [
      {
        paths: ['kernelSize'],
        test: (o) => num(o, 'kernelSize') % 2 === 1,
        message: (o) => `must be odd (a centred k×k filter), but got ${num(o, 'kernelSize')}`,
      },
    ],
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
      createRcnn({
        inputShape: task.inputShape,
        outputSize: task.outputSize,
        gridHeight: numOrNull(o, 'gridHeight'),
        gridWidth: numOrNull(o, 'gridWidth'),
        channels: num(o, 'channels'),
        kernelSize: num(o, 'kernelSize'),
        depth: numOrNull(o, 'depth'),
        update: oneOf(o, 'update', UPDATES),
        embedding: oneOf(o, 'embedding', EMBEDDINGS),
        gateBias: num(o, 'gateBias'),
        readoutWidth: num(o, 'readoutWidth'),
        checkpointEvery: numOrNull(o, 'checkpointEvery'),
        replicas,
      }),
  },
};
