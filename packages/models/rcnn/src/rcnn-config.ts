/**
 * The RCNN's options, their defaults and the reason for each. The paper (Goel, Kakade, Kalai,
 * Zhang 2022; PAPERS.md §2) fixes no grid, kernel or depth; these are the project's choices
 * (README.md, "Choices").
 */
import { assert, assertInt } from '@learnability/core';

/**
 * How the recurrent step writes the grid. `gated`: s ← (1 − u)⊙s + u⊙tanh(c), a convolutional
 * gated unit as in the Neural GPU (Kaiser & Sutskever 2016), so s stays in [−1, 1] for any T.
 * `residual`: s ← s + tanh(c)/√T, whose state grows at most like √T.
 */
export type RcnnUpdate = 'gated' | 'residual';

/**
 * How the input is written onto the grid. `cell`: each input entry x_rc becomes
 * x_rc·U_rc + P_rc ∈ R^C at its own cell — O(rows·cols·C) parameters, linear in m and d; cells
 * talk only through the shared convolution. `dense`: a fully connected map from the whole
 * flattened input to every input cell — O((rows·cols)²·C) parameters.
 */
export type RcnnEmbedding = 'cell' | 'dense';

export interface RcnnConfig {
  /**
   * The task's input shape: `[d]` for the direct use (x ∈ {±1}^d, laid out as one grid row of d
   * cells) or `[rows, cols]` for an in-context prompt (parity: m example rows + a query row,
   * d bit columns + a label column). Required.
   */
  inputShape: readonly number[];
  /** Outputs: the pixel-wise MLP has this many outputs per cell, summed over the grid. Default 1. */
  outputSize?: number;
  /** Grid rows H ≥ the input's rows. Default null: the input's rows (no extra workspace). */
  gridHeight?: number | null;
  /** Grid columns W ≥ the input's columns; extra cells start empty (workspace). Default null: the input's columns. */
  gridWidth?: number | null;
  /** Channels C per cell (state and injected input each have C). Default 8: enough for a few bits of scratch per cell, small enough to run on a CPU. */
  channels?: number;
  /**
   * Side k of the one k×k convolution filter (odd). Default 3: the nearest-neighbour mesh of
   * PAPERS.md §2. On a thin grid the filter is cut to what can reach a cell: at most 2H − 1
   * rows and 2W − 1 columns, so a 1×n grid (the direct use) gets a 1×k filter — a 3×3 one's
   * outer rows would only ever read the zero padding (1,536 inert weights at C = 8).
   */
  kernelSize?: number;
  /**
   * Depth T: how many times the one filter is applied. Default null: rows + cols of the input
   * layout (T ≈ c·(m + d) with c = 1, the scale at which row reduction runs on a mesh, PAPERS.md §2).
   */
  depth?: number | null;
  /** The recurrent update. Default 'gated' (bounded state: deep unrolls stay stable). */
  update?: RcnnUpdate;
  /**
   * How the input enters the grid. Default 'auto': 'dense' for the direct use (`[d]`: the
   * published dense first layer, d·d·C weights; with 'cell' every bit must be carried across the
   * row by the recurrence, and parity is learned far more slowly — docs/reproductions/rcnn.md)
   * and 'cell' for an in-context prompt (`[rows, cols]`: a dense layer would need
   * (rows·cols)²·C weights; per-cell keeps the first layer linear in m and d, and rows stay rows
   * for row operations).
   */
  embedding?: RcnnEmbedding | 'auto';
  /** Initial bias of the gate pre-activation (gated update): u ≈ σ(gateBias) at init. Default 0 (half the state is rewritten per step). */
  gateBias?: number;
  /** Hidden width of the pixel-wise readout MLP (C → width → outputSize). Default 16. */
  readoutWidth?: number;
  /**
   * Gradient checkpointing: steps per recomputed segment. The backward pass keeps only the
   * state at segment boundaries and recomputes each segment's steps (memory ∝ T/s + s instead
   * of T). 0: off (plain unroll). Default null: ⌈√T⌉ when T ≥ 16, else off.
   */
  checkpointEvery?: number | null;
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

export const RCNN_DEFAULTS = {
  outputSize: 1,
  gridHeight: null,
  gridWidth: null,
  channels: 8,
  kernelSize: 3,
  depth: null,
  update: 'gated',
  embedding: 'auto',
  gateBias: 0,
  readoutWidth: 16,
  checkpointEvery: null,
  replicas: 1,
} as const satisfies Omit<Required<RcnnConfig>, 'inputShape'>;

/** Depth below which `checkpointEvery: null` leaves checkpointing off (recomputing costs ≈ one more forward pass). */
export const AUTO_CHECKPOINT_MIN_DEPTH = 16;

/** Fills defaults and checks every option; throws a LearnabilityError naming the option. */
export function resolveRcnnConfig(config: RcnnConfig): ResolvedRcnnConfig {
  const shape = config.inputShape;
  assert(
    Array.isArray(shape) && (shape.length === 1 || shape.length === 2),
    () =>
      `rcnn.inputShape must be [d] or [rows, cols], but got [${Array.isArray(shape) ? shape.join(', ') : String(shape)}]`,
  );
  shape.forEach((v, i) => assertInt(`rcnn.inputShape[${i}]`, v, 1));
  const [inputRows, inputCols] =
    shape.length === 1 ? [1, shape[0] as number] : [shape[0] as number, shape[1] as number];
  const c = { ...RCNN_DEFAULTS, ...config };
  const gridHeight = c.gridHeight ?? inputRows;
  const gridWidth = c.gridWidth ?? inputCols;
  assertInt('rcnn.gridHeight', gridHeight, inputRows);
  assertInt('rcnn.gridWidth', gridWidth, inputCols);
  assertInt('rcnn.outputSize', c.outputSize, 1);
  assertInt('rcnn.channels', c.channels, 1);
  assertInt('rcnn.kernelSize', c.kernelSize, 1, 15);
  assert(c.kernelSize % 2 === 1, () => `rcnn.kernelSize must be odd (a centred k×k filter), but got ${c.kernelSize}`);
  const depth = c.depth ?? inputRows + inputCols;
  assertInt('rcnn.depth', depth, 1);
  assert(
    c.update === 'gated' || c.update === 'residual',
    () => `rcnn.update must be "gated" or "residual", but got ${JSON.stringify(c.update)}`,
  );
  assert(
    ['auto', 'cell', 'dense'].includes(c.embedding),
    () => `rcnn.embedding must be "auto", "cell" or "dense", but got ${JSON.stringify(c.embedding)}`,
  );
  const embedding: RcnnEmbedding = c.embedding === 'auto' ? (shape.length === 1 ? 'dense' : 'cell') : c.embedding;
  assert(Number.isFinite(c.gateBias), () => `rcnn.gateBias must be a finite number, but got ${c.gateBias}`);
  assertInt('rcnn.readoutWidth', c.readoutWidth, 1);
  assertInt('rcnn.replicas', c.replicas, 1);
  const checkpointEvery = c.checkpointEvery ?? (depth >= AUTO_CHECKPOINT_MIN_DEPTH ? Math.ceil(Math.sqrt(depth)) : 0);
  assertInt('rcnn.checkpointEvery', checkpointEvery, 0);
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
