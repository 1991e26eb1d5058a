// Tasks: sparse / full / noisy parity and in-context parity.
export { createSparseParityTask, SPARSE_PARITY_SCHEMA } from './sparse-parity.js';
export type { SparseParityConfig, SparseParityOptions, SparseParityTask } from './sparse-parity.js';
export type { ParityEncoding, ParitySamples } from './parity-sampling.js';
export { subsetWeightShare } from './subset-weight-share.js';
export { createInContextParityTask, IN_CONTEXT_PARITY_SCHEMA, sampleInContextParity } from './in-context-parity.js';
export type {
  InContextParityConfig,
  InContextParityOptions,
  InContextParitySamples,
  InContextParityTask,
} from './in-context-parity.js';
// GF(2) elimination: the batch solver over a bit-packed matrix, the streaming learner, the formulas.
export { gf2FromBits, packParitySamples } from './gf2/gf2-matrix.js';
export type { Gf2Matrix } from './gf2/gf2-matrix.js';
export { solveGf2 } from './gf2/solve.js';
export type { Gf2Solution, SolveGf2Options } from './gf2/solve.js';
export type { Gf2Kernel } from './gf2/kernel.js';
export type { Gf2KernelName } from './gf2/kernel-choice.js';
export { createEliminationLearner, ELIMINATION_SCHEMA } from './gf2/elimination-learner.js';
export type { EliminationLearner, EliminationLearnerConfig } from './gf2/elimination-learner.js';
export {
  consistentSolutionError,
  eliminationSuccessProbability,
  samplesForConfidence,
} from './gf2/elimination-theory.js';
