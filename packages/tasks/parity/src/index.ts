export { createSparseParityTask, parityBatch } from './sparse-parity.js';
export type { SparseParityConfig, SparseParityTask } from './sparse-parity.js';
export { createInContextParityTask, sampleInContextParity } from './in-context-parity.js';
export type { InContextParityConfig, InContextParitySamples, InContextParityTask } from './in-context-parity.js';
export { parityOfRow, sampleParity, toPm1 } from './parity-sampling.js';
export type { ParityEncoding, ParitySamples } from './parity-sampling.js';
export { parityMeasures, subsetWeightShare } from './subset-weight-share.js';
export {
  createGf2Matrix,
  gf2FromBits,
  gf2Get,
  gf2RowBits,
  gf2Set,
  inputBit,
  packExample,
  packParitySamples,
  wordsPerRow,
} from './gf2/gf2-matrix.js';
export type { Gf2Matrix } from './gf2/gf2-matrix.js';
export { parity32, solveGf2 } from './gf2/solve.js';
export type { Gf2Solution, SolveGf2Options } from './gf2/solve.js';
export { defaultBitsPerTable, defaultTables, echelonize, resolveEchelonOptions } from './gf2/echelon.js';
export type { EchelonOptions, EchelonResult } from './gf2/echelon.js';
export { createJsKernel, readBits } from './gf2/kernel.js';
export type { Gf2Kernel } from './gf2/kernel.js';
export { createWasmKernel, wasmKernelUnavailableReason } from './gf2/wasm-kernel.js';
export { resolveGf2Kernel } from './gf2/kernel-choice.js';
export type { Gf2KernelName } from './gf2/kernel-choice.js';
export { createEliminationLearner } from './gf2/elimination-learner.js';
export type { EliminationLearner, EliminationLearnerConfig } from './gf2/elimination-learner.js';
export { consistentSolutionError, eliminationSuccessProbability, samplesForConfidence } from './gf2/elimination-theory.js';
export { benchElimination, plantedSystem } from './bench-elimination.js';
export type { BenchEliminationConfig, BenchEliminationResult } from './bench-elimination.js';
