import { defineSchema, resolveOptions } from '@learnability/core';
import type { RunOptions } from '@learnability/core';
import { EVAL_CHUNK } from './evaluate.js';

/**
 * 2⁴⁰ steps, 13 days at 1 µs a step: far past any run, and far below 2⁵³, where a step or sample
 * count could no longer grow by one (`1e300` was accepted and printed as a 300-digit count).
 */
const MAX_STEPS = 2 ** 40;

/** Every run option (`run.*` in a config) with its default and the reason for it, and the rules across them. */
export const RUN_SCHEMA = defineSchema(
  {
    steps: {
      type: 'int',
      default: 20_000,
      min: 0,
      max: MAX_STEPS,
      doc: 'training steps (one batch per replica each)',
      why: "long enough for n = 50, k = 3 sparse parity at Barak et al.'s protocol; stopWhenLearned ends it early",
    },
    batchSize: {
      type: 'int',
      default: 32,
      min: 1,
      doc: 'examples per replica per step',
      why: 'Barak et al. 2022 use batch 32',
    },
    evalEvery: { type: 'int', default: 250, min: 1, max: MAX_STEPS, doc: 'evaluate every this many steps' },
    testSize: {
      type: 'int',
      default: 2_000,
      min: 1,
      doc: 'size of the fixed, seeded test set',
      why: 'a 99 % threshold is then decided with a standard error of ≈ 0.2 %',
    },
    evalChunk: {
      type: 'int',
      default: EVAL_CHUNK,
      min: 1,
      doc: 'test rows per forward pass at an evaluation (its memory grows with it; the scores do not change beyond rounding)',
      why: 'an MLP row is small; a transformer prompt at paper scale holds ≈ 3 MB of activations, so its presets lower it',
    },
    seed: { type: 'int', default: 0, min: 0, max: 2 ** 31, doc: 'replica r uses seed + r' },
    replicas: { type: 'int', default: 1, min: 1, max: 1024, doc: 'independent networks trained as one program' },
    trainSetSize: {
      type: 'int?',
      default: null,
      min: 1,
      doc: 'null: fresh samples each step; N: a fixed training set of N examples',
      why: 'online SGD on fresh samples is the protocol of the papers this project reproduces',
    },
    shuffle: {
      type: 'bool',
      default: false,
      doc: 'finite sets: true walks the set in a fresh seeded order each epoch; false draws batches with replacement',
      why: 'drawing with replacement is what the recorded reproductions used; epoch shuffles are opt-in',
    },
    learnedThreshold: {
      type: 'number',
      default: 0.99,
      min: 0,
      exclusiveMin: true,
      max: 1,
      doc: 'test accuracy that counts as learned',
    },
    stopWhenLearned: { type: 'bool', default: true, doc: 'stop once every replica and learner has learned' },
  },
  [
    {
      paths: ['batchSize', 'trainSetSize'],
      test: (o) => o.trainSetSize === null || o.batchSize <= o.trainSetSize,
      message: (o) => `must be ≤ run.trainSetSize (${o.trainSetSize}), but got ${o.batchSize}`,
    },
    {
      paths: ['shuffle', 'trainSetSize'],
      test: (o) => !o.shuffle || o.trainSetSize !== null,
      message: () => 'needs a finite training set: set run.trainSetSize too (online runs see every sample once anyway)',
    },
  ],
);

/** Fills defaults and checks every option and rule; throws one ConfigError listing each problem as `run.<option>: …`. */
// Typed as core's `RunOptions`: the schema's options must be exactly those.
export const resolveRunOptions = (options: Partial<RunOptions> = {}): RunOptions =>
  resolveOptions('run', RUN_SCHEMA, options);
