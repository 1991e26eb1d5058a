/**
 * `@learnability/parity/bench` — internal, workspace only: the GF(2) elimination benchmark and its
 * reference solvers (M4RI, numpy), used by `learnability bench elimination` and
 * bench/gf2-compare.ts. Not published (package.json `publishConfig.exports` leaves it out, `files`
 * leaves out dist/bench): the reference drivers live in the repository's bench/ directory.
 */
export { benchElimination, plantedSystem } from './bench-elimination.js';
export type { BenchEliminationConfig, BenchEliminationResult } from './bench-elimination.js';
export { buildM4riDriver, runM4riReference } from './m4ri-reference.js';
export type {
  M4riBuildConfig,
  M4riDriver,
  M4riReferenceConfig,
  M4riReferenceResult,
  M4riTimingConfig,
} from './m4ri-reference.js';
export { runNumpyReference } from './numpy-reference.js';
export type { NumpyReferenceConfig, NumpyReferenceResult } from './numpy-reference.js';
export { findBenchFile, parseTimings } from './bench-files.js';
export type { ReferenceTiming, ReferenceUnavailable } from './bench-files.js';
