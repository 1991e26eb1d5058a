// The task: in-context regression prompts of one function family each.
export { createInContextTask } from './in-context-task.js';
export type { InContextTask } from './in-context-task.js';
export { inContextSchema } from './in-context-config.js';
export type { InContextOptions, InContextTaskConfig, ResolvedInContextTaskConfig } from './in-context-config.js';
export { FUNCTION_FAMILIES } from './function-family.js';
export type { FunctionFamily } from './function-family.js';
export type { DimsCurriculum } from './dims-curriculum.js';
// Baselines a trained transformer is compared with, and the error curve by number of examples.
export type { InContextLearner } from './baselines/learner.js';
export { createLeastSquares } from './baselines/least-squares.js';
export { createLasso } from './baselines/lasso.js';
export type { LassoConfig } from './baselines/lasso.js';
export { createNearestNeighbours } from './baselines/nearest-neighbours.js';
export { createAveraging } from './baselines/averaging.js';
export { createGf2Elimination, readParityPrompt } from './baselines/gf2-elimination.js';
export { errorByExamples, learnerErrorByExamples, learnerPredictions, modelErrorByExamples } from './evaluate.js';
