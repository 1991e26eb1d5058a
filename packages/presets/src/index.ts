export { validateConfig, validatePart, optionsOf, BACKEND_REQUESTS, RUN_FIELDS } from './validate.js';
export type { BackendRequest, ResolvedConfig } from './validate.js';
export { resolve } from './resolve.js';
export { estimateMemory, FLOAT_BYTES, memoryPart } from './memory/estimate-memory.js';
export type { EstimatedRun, MemoryEstimate, MemoryFactor, MemoryPart } from './memory/estimate-memory.js';
export { checkMemory, describeEstimate, formatBytes, memoryIssues } from './memory/check-memory.js';
export { modelFootprint } from './memory/model-footprint.js';
export type { ModelFootprint } from './memory/model-footprint.js';
export type { ResolvedRun } from './resolve.js';
export { PRESETS, getPreset } from './presets.js';
export type { Preset } from './presets.js';
export { applyOverrides, expandExtends, mergeConfig } from './overrides.js';
export { LEARNERS, MODELS, TASKS, TRAINERS } from './parts.js';
export type { LearnerContext, ModelContext, TrainerContext } from './parts.js';
export type { PartEntry, TaskEntry } from './part-entry.js';
export type { TaskShape } from './schema.js';
export {
  aggregateSweep,
  expandSweep,
  jobResults,
  packJobs,
  parseSweepSpec,
  showAxisValue,
  stableHash,
} from './sweep/index.js';
export type {
  GroupStats,
  JobResult,
  PackedRun,
  SweepAggregate,
  SweepAxis,
  SweepJob,
  SweepSpec,
} from './sweep/index.js';
export { KERNELS } from './kernels.js';
