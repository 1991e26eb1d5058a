/**
 * The RCNN's options, their defaults and the reason for each. The paper (Goel, Kakade, Kalai,
 * Zhang 2022; docs/papers.md §2) fixes no grid, kernel or depth; these are the project's choices
 * (README.md, "Choices").
 */
import { assert, assertConfigObject, assertInt, defineSchema, resolveOptions, showValue } from '@learnability/core';
import type { OptionsOf } from '@learnability/core';

/**
 * The RCNN's options, each default written once. More on four of them:
 * - `kernelSize`: on a thin grid the filter is cut to what can reach a cell: at most 2H − 1 rows
 *   and 2W − 1 columns, so a 1×n grid (the direct use) gets a 1×k filter — a 3×3 one's outer rows
 *   would only ever read the zero padding (1,536 inert weights at C = 8).
 * - `update`: `gated` is s ← (1 − u)⊙s + u⊙tanh(c), a convolutional gated unit as in the Neural
 *   GPU (Kaiser & Sutskever 2016), so s stays in [−1, 1] for any T; `residual` is
 *   s ← s + tanh(c)/√T, whose state grows at most like √T.
 * - `embedding`: `cell` writes each input entry x_rc as x_rc·U_rc + P_rc ∈ R^C at its own cell —
 *   O(rows·cols·C) parameters, linear in m and d; cells talk only through the shared convolution.
 *   `dense` maps the whole flattened input to every input cell — O((rows·cols)²·C) parameters.
 * - `checkpointEvery`: the backward pass keeps only the state at segment boundaries and recomputes
 *   each segment's steps (memory ∝ T/s + s instead of T).
 */
export const RCNN_SCHEMA = defineSchema(
  {
    gridHeight: {
      type: 'int?',
      default: null,
      min: 1,
      doc: 'grid rows (null: the input rows; 1 for a vector input)',
    },
    gridWidth: {
      type: 'int?',
      default: null,
      min: 1,
      doc: 'grid columns (null: the input columns); extra cells are workspace',
    },
    channels: {
      type: 'int',
      default: 8,
      min: 1,
      doc: 'channels C per cell',
      why: 'enough for a few bits of scratch per cell, small enough to run on a CPU',
    },
    kernelSize: {
      type: 'int',
      default: 3,
      min: 1,
      max: 15,
      doc: 'side k of the one k×k filter (odd)',
      why: 'the nearest-neighbour mesh of docs/papers.md §2',
    },
    depth: {
      type: 'int?',
      default: null,
      min: 1,
      doc: 'steps T the filter is applied (null: input rows + columns)',
      why: 'T ≈ c·(m + d) with c = 1, the scale at which row reduction runs on a mesh (docs/papers.md §2)',
    },
    update: {
      type: 'enum',
      values: ['gated', 'residual'],
      default: 'gated',
      doc: 'gated: s ← (1−u)s + u·tanh(a) (Neural GPU); residual: s ← s + tanh(a)/√T',
      why: 'bounded state: deep unrolls stay stable',
    },
    embedding: {
      type: 'enum',
      values: ['auto', 'cell', 'dense'],
      default: 'auto',
      doc: 'first layer: dense (all inputs → every input cell) or cell (x·U + P per cell); auto: dense for vectors, cell for prompts',
      why: 'a vector [d] gets a dense first layer, as the paper has (d·(d+1)·C weights, where the layer of the paper grows linearly in m and d; with cell every bit must be carried across the row by the recurrence, and parity is learned far more slowly: docs/reproductions/rcnn.md); a prompt [rows, cols] gets cell, linear in m and d where dense would need (rows·cols)²·C weights, and rows stay rows for row operations',
    },
    gateBias: {
      type: 'number',
      default: 0,
      doc: 'initial gate bias: u ≈ σ(gateBias) at init',
      why: 'half the state is rewritten per step',
    },
    readoutWidth: { type: 'int', default: 16, min: 1, doc: 'hidden width of the pixel-wise readout MLP' },
    checkpointEvery: {
      type: 'int?',
      default: null,
      min: 0,
      doc: 'gradient checkpointing: steps per recomputed segment (0: off; null: ⌈√T⌉ once T·H·W·C ≥ 65,536 floats a prompt)',
    },
  },
  [
    {
      paths: ['kernelSize'],
      test: (o) => o.kernelSize % 2 === 1,
      message: (o) => `must be odd (a centred k×k filter), but got ${o.kernelSize}`,
    },
  ],
);

export type RcnnOptions = OptionsOf<typeof RCNN_SCHEMA.fields>;
export type RcnnUpdate = RcnnOptions['update'];
/** How the input is written onto the grid (`auto` resolved by the input's shape). */
export type RcnnEmbedding = Exclude<RcnnOptions['embedding'], 'auto'>;

/** An RCNN's config: the task's sizes and R; options not given take their defaults. */
export interface RcnnConfig extends Partial<RcnnOptions> {
  /**
   * The task's input shape: `[d]` for the direct use (x ∈ {±1}^d, laid out as one grid row of d
   * cells) or `[rows, cols]` for an in-context prompt (parity: m example rows + a query row,
   * d bit columns + a label column). Required.
   */
  inputShape: readonly number[];
  /** Outputs: the pixel-wise MLP has this many outputs per cell, summed over the grid. Default 1. */
  outputSize?: number;
  /** Independent networks trained as one program (each parameter has a leading replica axis). Default 1. */
  replicas?: number;
}

/** Every option filled in: grid, depth and checkpointing resolved from the input shape. */
export interface ResolvedRcnnConfig {
  inputShape: readonly number[];
  outputSize: number;
  /** Rows and columns the input occupies on the grid (top-left corner). */
  inputRows: number;
  inputCols: number;
  gridHeight: number;
  gridWidth: number;
  channels: number;
  kernelSize: number;
  /** Filter rows: min(kernelSize, 2·gridHeight − 1), so every row of taps can read a cell. */
  kernelHeight: number;
  /** Filter columns: min(kernelSize, 2·gridWidth − 1). */
  kernelWidth: number;
  depth: number;
  update: RcnnUpdate;
  embedding: RcnnEmbedding;
  gateBias: number;
  readoutWidth: number;
  /** Steps per checkpointed segment; 0 = plain unroll. */
  checkpointEvery: number;
  replicas: number;
}

/**
 * `checkpointEvery: null` checkpoints (segments of ⌈√T⌉) from this many floats of state per prompt
 * over the unroll, T·H·W·C, up: a plain unroll's tape holds a few of those states per step
 * (3 with the unroll kernels), 48 MiB at this size for 32 prompts and 2 replicas. Below it recomputing
 * (≈ one more forward pass: an rcnn-parity step takes 1.4× as long) buys memory nobody needs: rcnn-parity
 * up to n ≈ 90 and the in-context presets unroll plainly, the deep in-context one (T = 256)
 * checkpoints.
 */
export const AUTO_CHECKPOINT_MIN_FLOATS = 2 ** 16;

/**
 * Fills defaults and checks every option (one ConfigError listing every bad one), then the sizes
 * against the input shape (a LearnabilityError naming the option).
 */
export function resolveRcnnConfig(config: RcnnConfig): ResolvedRcnnConfig {
  assertConfigObject('rcnn', config, '{ inputShape: [8, 9] }');
  const shape = config.inputShape;
  assert(
    Array.isArray(shape) && (shape.length === 1 || shape.length === 2),
    () =>
      `rcnn.inputShape must be [d] or [rows, cols], but got ${Array.isArray(shape) ? `[${shape.map(showValue).join(', ')}]` : showValue(shape)}${shape === undefined && 'inputSize' in config ? ' (the option is inputShape: [d], not inputSize)' : ''}`,
  );
  shape.forEach((v, i) => assertInt(`rcnn.inputShape[${i}]`, v, 1));
  const [inputRows, inputCols] =
    shape.length === 1 ? [1, shape[0] as number] : [shape[0] as number, shape[1] as number];
  const c = {
    outputSize: 1,
    replicas: 1,
    ...resolveOptions('rcnn', RCNN_SCHEMA, config, ['inputShape', 'outputSize', 'replicas']),
  };
  const gridHeight = c.gridHeight ?? inputRows;
  const gridWidth = c.gridWidth ?? inputCols;
  assertInt('rcnn.gridHeight', gridHeight, inputRows);
  assertInt('rcnn.gridWidth', gridWidth, inputCols);
  assertInt('rcnn.outputSize', c.outputSize, 1);
  const depth = c.depth ?? inputRows + inputCols;
  const embedding: RcnnEmbedding = c.embedding === 'auto' ? (shape.length === 1 ? 'dense' : 'cell') : c.embedding;
  assertInt('rcnn.replicas', c.replicas, 1);
  const unrolledFloats = depth * gridHeight * gridWidth * c.channels;
  const checkpointEvery =
    c.checkpointEvery ?? (unrolledFloats >= AUTO_CHECKPOINT_MIN_FLOATS ? Math.ceil(Math.sqrt(depth)) : 0);
  return {
    inputShape: [...shape],
    outputSize: c.outputSize,
    inputRows,
    inputCols,
    gridHeight,
    gridWidth,
    channels: c.channels,
    kernelSize: c.kernelSize,
    kernelHeight: Math.min(c.kernelSize, 2 * gridHeight - 1),
    kernelWidth: Math.min(c.kernelSize, 2 * gridWidth - 1),
    depth,
    update: c.update,
    embedding,
    gateBias: c.gateBias,
    readoutWidth: c.readoutWidth,
    checkpointEvery: checkpointEvery >= depth ? 0 : checkpointEvery,
    replicas: c.replicas,
  };
}
