import type { EliminationRun } from './elimination.js';
import type { InContextElimination } from './in-context.js';
import type { NetworkRun } from './train.js';

/** Sparse parity (k fixed) or full parity (k = n). */
export type Family = 'sparse' | 'full';

/** One parity, three learners on it. */
export interface DirectRow {
  family: Family;
  n: number;
  k: number;
  elimination: EliminationRun;
  rcnn: NetworkRun;
  dense: NetworkRun;
}

/** The in-context use: the RCNN trained on prompts, elimination run inside each prompt. */
export interface InContextResult {
  n: number;
  k: number;
  examples: number;
  rcnn: NetworkRun;
  elimination: InContextElimination;
}

/** What the results JSON holds of this experiment, after the fields every experiment records. */
export interface Results {
  /** How the RCNN was trained: its preset's Adam, or plain SGD (lr 0.03). */
  rcnnTrainer: 'adam' | 'sgd';
  /** How the dense MLP was trained: the RCNN preset's Adam, or the sparse-parity preset's SGD. */
  mlpTrainer: 'adam' | 'sgd';
  direct: DirectRow[];
  inContext: InContextResult | null;
}
