export type {
  Batch,
  ForwardTrace,
  FusedSgdStep,
  LayerTrace,
  Model,
  OutputKind,
  Params,
  StepResult,
  StreamLearner,
  Task,
  TaskLayout,
  Trainer,
  SavedTrainerState,
  TrainerState,
} from './contracts.js';
export type {
  EndEvent,
  EvalEvent,
  LearnedEvent,
  ReplicaSummary,
  RunEvent,
  RunSummary,
  StartEvent,
  StreamLearnerSummary,
} from './events.js';
export type { KernelPlugin, KernelSetupContext, SgdRule, UnpackSignsAttrs } from './kernels.js';
export {
  UNPACK_SIGNS,
  dispatchGrid,
  kernelsRegistered,
  tapeRecording,
  wasmHeapPlugin,
  webGpuPlugin,
  webGpuPlugins,
} from './kernels.js';
export type { GpuStepEngine, SteppedCall } from './gpu-engine.js';
export { formatBinaryBytes } from './memory-limits.js';
export { censoredMedian, median, summarizeSamples } from './median.js';
export type { SampleSummary } from './median.js';
export type { MemoryLimit, MemoryLimits } from './memory-limits.js';
export type { PartConfig, RunConfig, RunOptions } from './run-config.js';
export { createRng, hashString, replicaRngs, restoreRng } from './rng.js';
export type { Rng } from './rng.js';
export {
  assert,
  assertConfigObject,
  assertDraw,
  assertInt,
  assertParamShapes,
  assertRngs,
  assertShape,
  showShape,
  showValue,
} from './assert.js';
export { BackendUnavailableError, ConfigError, LearnabilityError } from './errors.js';
export type { ConfigIssue } from './errors.js';
export {
  checkField,
  defaultsOf,
  defineSchema,
  describeFields,
  closestWord,
  isFieldValue,
  readField,
  resolveOptions,
  runChecks,
  unknownKeyMessage,
  validateFields,
} from './schema.js';
export type {
  FieldCheck,
  FieldSpec,
  FieldSpecs,
  FieldValue,
  FieldValueOf,
  Options,
  OptionsOf,
  PartSchema,
} from './schema.js';
export { kAtMostN, labelNoiseField } from './label-fields.js';
export { staircaseAt, staircaseFields } from './staircase.js';
export type { StaircaseFields } from './staircase.js';
export type { WasmTensorHeap } from './wasm-heap.js';
export { isWasmTensorHeap, wasmByteOffset, wasmHeap } from './wasm-heap.js';
