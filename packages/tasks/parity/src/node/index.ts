export { runM4riReference } from './m4ri-reference.js';
export type { M4riReferenceConfig, M4riReferenceResult } from './m4ri-reference.js';
export { runNumpyReference } from './numpy-reference.js';
export type { NumpyReferenceConfig, NumpyReferenceResult } from './numpy-reference.js';
export { findBenchFile, parseTimings } from './bench-files.js';
export type { ReferenceTiming, ReferenceUnavailable } from './bench-files.js';
