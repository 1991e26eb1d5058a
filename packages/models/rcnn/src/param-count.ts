import { assert } from '@learnability/core';
import type { ResolvedRcnnConfig } from './rcnn-config.js';

/**
 * Trainable scalars of one replica, part by part. Only `embedding` depends on the input size
 * (m and d); `recurrent` and `readout` are the same for every grid size and every depth T —
 * the point of the architecture (docs/papers.md §2): the unrolled network has H·W·T cells, its
 * parameters do not.
 */
export interface RcnnParamCount {
  /** The first layer, input → input cells (dense: i·(i+1)·C for i input cells; cell: 2·i·C): grows with the input, never with the workspace or T. */
  embedding: number;
  /** The one kh×kw filter and its bias, shared by every cell and every step. */
  recurrent: number;
  /** The pixel-wise MLP C → readoutWidth → outputSize, shared by every cell. */
  readout: number;
  total: number;
}

/** Output channels of the filter per state channel: candidate and gate (gated) or candidate only. */
export const gateFactor = (c: Pick<ResolvedRcnnConfig, 'update'>): number => (c.update === 'gated' ? 2 : 1);

/**
 * Trainable scalars of one replica of the RCNN that a config from `resolveRcnnConfig` describes,
 * part by part (the model's `paramCounts`; R replicas hold R times as many). Arithmetic only:
 * no tensor is made.
 */
export function rcnnParamCount(c: ResolvedRcnnConfig): RcnnParamCount {
  // From plain JS a raw config ({ inputShape: [20] }) has no inputRows, gridHeight, …: NaN counts.
  assert(
    typeof c === 'object' && c !== null && Number.isInteger(c.inputRows) && Number.isInteger(c.kernelHeight),
    'rcnnParamCount: takes a resolved config; for a raw one, rcnnParamCount(resolveRcnnConfig(config))',
  );
  const inputCells = c.inputRows * c.inputCols;
  const C = c.channels;
  const embedding = c.embedding === 'cell' ? 2 * inputCells * C : inputCells * inputCells * C + inputCells * C;
  const outC = gateFactor(c) * C;
  // The filter reads the state and the re-injected input: 2C channels in.
  const recurrent = c.kernelHeight * c.kernelWidth * 2 * C * outC + outC;
  const readout = C * c.readoutWidth + c.readoutWidth + c.readoutWidth * c.outputSize + c.outputSize;
  return { embedding, recurrent, readout, total: embedding + recurrent + readout };
}
