/**
 * Registry entry for the recurrent convolutional network of Goel, Kakade, Kalai, Zhang 2022
 * (PAPERS.md §2). Input shape and outputs come from the task: `[d]` (direct use, e.g.
 * sparse-parity) or `[rows, cols]` (an in-context prompt, e.g. in-context-parity).
 */
import type { Model } from '@learnability/core';
import { createRcnn, RCNN_DEFAULTS } from '@learnability/rcnn';
import type { RcnnEmbedding, RcnnUpdate } from '@learnability/rcnn';
import type { ModelContext, PartEntry } from '../parts.js';
import type { FieldValue } from '../schema.js';

type Options = Record<string, FieldValue>;
const num = (o: Options, k: string) => o[k] as number;
const intOrNull = (o: Options, k: string) => o[k] as number | null;

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
        values: ['gated', 'residual'],
        default: RCNN_DEFAULTS.update,
        doc: 'gated: s ← (1−u)s + u·tanh(a) (Neural GPU); residual: s ← s + tanh(a)/√T',
      },
      embedding: {
        type: 'enum',
        values: ['auto', 'cell', 'dense'],
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
    create: (o, { task, replicas }) =>
      createRcnn({
        inputShape: task.inputShape,
        outputSize: task.outputSize,
        gridHeight: intOrNull(o, 'gridHeight'),
        gridWidth: intOrNull(o, 'gridWidth'),
        channels: num(o, 'channels'),
        kernelSize: num(o, 'kernelSize'),
        depth: intOrNull(o, 'depth'),
        update: o.update as RcnnUpdate,
        embedding: o.embedding as RcnnEmbedding | 'auto',
        gateBias: num(o, 'gateBias'),
        readoutWidth: num(o, 'readoutWidth'),
        checkpointEvery: intOrNull(o, 'checkpointEvery'),
        replicas,
      }),
  },
};
