import { assert, assertInt } from '@learnability/core';
import type { RunOptions } from '@learnability/core';

/** Defaults for every run option, with the reason for each. */
export const RUN_DEFAULTS: RunOptions = {
  // Long enough for n = 50, k = 3 sparse parity at Barak et al.'s protocol; stopWhenLearned ends it early.
  steps: 20_000,
  // Barak et al. 2022 use batch 32.
  batchSize: 32,
  evalEvery: 250,
  // 2,000 test points: a 99 % threshold is then decided with a standard error of ≈ 0.2 %.
  testSize: 2_000,
  seed: 0,
  replicas: 1,
  // Online SGD on fresh samples is the protocol of the papers this project reproduces.
  trainSetSize: null,
  // Drawing with replacement is what the recorded reproductions used; epoch shuffles are opt-in.
  shuffle: false,
  learnedThreshold: 0.99,
  stopWhenLearned: true,
};

/** Fills defaults and checks ranges; throws a one-line error naming the option. */
export function resolveRunOptions(options: Partial<RunOptions> = {}): RunOptions {
  const o: RunOptions = { ...RUN_DEFAULTS, ...options };
  assertInt('run.steps', o.steps, 0);
  assertInt('run.batchSize', o.batchSize, 1);
  assertInt('run.evalEvery', o.evalEvery, 1);
  assertInt('run.testSize', o.testSize, 1);
  assertInt('run.seed', o.seed, 0, 2 ** 31);
  assertInt('run.replicas', o.replicas, 1, 1024);
  if (o.trainSetSize !== null) {
    assertInt('run.trainSetSize', o.trainSetSize, 1);
    assert(
      o.batchSize <= o.trainSetSize,
      () => `run.batchSize (${o.batchSize}) must be ≤ run.trainSetSize (${o.trainSetSize})`,
    );
  }
  assert(
    !o.shuffle || o.trainSetSize !== null,
    'run.shuffle needs a finite training set: set run.trainSetSize too (online runs see every sample once anyway)',
  );
  assert(
    o.learnedThreshold > 0 && o.learnedThreshold <= 1,
    () => `run.learnedThreshold must be in (0, 1], but got ${o.learnedThreshold}`,
  );
  return o;
}
