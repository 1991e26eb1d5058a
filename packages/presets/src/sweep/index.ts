export { parseSweepSpec } from './spec.js';
export type { SweepAxis, SweepSpec } from './spec.js';
export { expandSweep, showAxisValue, stableHash } from './expand.js';
export type { SweepJob } from './expand.js';
export { packJobs } from './pack.js';
export type { PackedRun } from './pack.js';
export { aggregateSweep, jobResults } from './aggregate.js';
export type { GroupStats, JobResult, SweepAggregate } from './aggregate.js';
