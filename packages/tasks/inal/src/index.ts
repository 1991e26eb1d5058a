// Boolean targets: specs (`parity:3`, `majority`, `expr:…`), the target itself, and as a core Task.
export type { BooleanTarget, TargetFamily } from './boolean-target.js';
export { parseTargetSpec, resolveCount, TARGET_FAMILIES } from './target-spec.js';
export type { Arity, TargetSpec } from './target-spec.js';
export { createTarget } from './create-target.js';
export type { CreateTargetOptions } from './create-target.js';
export { BOOLEAN_TASK_SCHEMA, booleanTargetSpec, createBooleanTask } from './boolean-task.js';
export type { BooleanFamily, BooleanTask, BooleanTaskConfig, BooleanTaskOptions } from './boolean-task.js';
// Walsh–Fourier tools.
export { truthTable } from './boolean-target.js';
export { fourierCoefficients } from './walsh-hadamard.js';
export { degreeProfile } from './degree-profile.js';
export type { DegreeProfile, DegreeProfileOptions } from './degree-profile.js';
// INAL: the measurement, a series over n and its log–log slope, the one-neuron closed form.
export { INAL_FIRST_LOOK_FIELDS, INAL_SCHEMA, INAL_SERIES_SCHEMA } from './inal/inal-options.js';
export type { InalOptions, InalSeriesOptions } from './inal/inal-options.js';
export { inalChunkRows, measureInal } from './inal/measure-inal.js';
export type { InalConfig, InalMeasurement } from './inal/measure-inal.js';
export type { LayerInal, NeuronRef } from './inal/neuron-stats.js';
export { measureInalSeries } from './inal/measure-inal-series.js';
export type { InalSeriesConfig, InalSeriesStep } from './inal/measure-inal-series.js';
export { fitInalSlope, slopePoints } from './inal/inal-slope.js';
export type { InalEstimator, InalFit, InalSeriesPoint } from './inal/inal-slope.js';
export { logLogSlope } from './stats.js';
export { reluParityAlignment } from './inal/relu-alignment.js';
