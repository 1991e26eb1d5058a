import * as tf from '@tensorflow/tfjs-core';
import type { Task } from '@learnability/core';
import { TEST_SET_SEED } from '@learnability/experiment';
import { readParityPrompt } from '@learnability/in-context';
import { createEliminationLearner, eliminationSuccessProbability } from '@learnability/parity';
import type { InContextParityTask } from '@learnability/parity';
import { resolve } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import type { InContextResult } from './results.js';

export const IN_CONTEXT_PRESET = 'rcnn-in-context-parity';

const isInContextParity = (task: Task): task is InContextParityTask =>
  task.name === 'in-context-parity' && 'examples' in task && 'n' in task;

/** GF(2) elimination run inside each prompt: solve from the m example rows, predict the query. */
export interface InContextElimination {
  /** Accuracy on the query labels of the test prompts. */
  accuracy: number;
  /** Fraction of test prompts whose m examples have rank n (elimination is then exact). */
  fullRank: number;
  /** Π_{i=m−n+1}^{m}(1 − 2^{−i}): the expected full-rank fraction. */
  theoryFullRank: number;
  /**
   * A baseline that needs no algorithm: copy the label of an example row equal to the query, else
   * guess (counted as ½). What a network can get by matching rows, without solving anything.
   */
  lookupAccuracy: number;
}

/**
 * Elimination on the run's own test prompts (the fixed test set `runExperiment` scores the
 * network on): prompt p is rows (x_j, y_j), j < m, and the query x_q; layout (m+1) × (n+1).
 */
export function eliminationInContext(task: Task, n: number, m: number, prompts: number): InContextElimination {
  const test = task.testSet(prompts, TEST_SET_SEED);
  tf.dispose([test.x, test.y]);
  if (!test.host) throw new Error(`task "${task.name}" gives no host arrays for its test set`);
  const { x, y } = test.host;
  let correct = 0;
  let fullRank = 0;
  let lookup = 0;
  for (let p = 0; p < prompts; p++) {
    const prompt = readParityPrompt(x, p, n, m);
    const [xs, query] = [Float32Array.from(prompt.xs), Float32Array.from(prompt.query)];
    const learner = createEliminationLearner({ n });
    learner.observe(xs, Float32Array.from(prompt.ys));
    if (learner.rank === n) fullRank++;
    if ((learner.predict(query)[0] as number) * (y[p] as number) > 0) correct++;
    const match = Array.from({ length: m }, (_, j) => j).find((j) => query.every((v, i) => v === xs[j * n + i]));
    lookup += match === undefined ? 0.5 : prompt.ys[match] === y[p] ? 1 : 0;
  }
  return {
    accuracy: correct / prompts,
    fullRank: fullRank / prompts,
    theoryFullRank: eliminationSuccessProbability(m, n),
    lookupAccuracy: lookup / prompts,
  };
}

/** Elimination inside each of the run's test prompts (the in-context run's validated config). */
export function inContextElimination(config: ResolvedConfig): Omit<InContextResult, 'rcnn'> {
  const { task } = resolve(config);
  if (!isInContextParity(task))
    throw new Error(`preset ${IN_CONTEXT_PRESET} must use the in-context-parity task, but uses "${task.name}"`);
  return {
    n: task.n,
    k: task.k,
    examples: task.examples,
    elimination: eliminationInContext(task, task.n, task.examples, config.run.testSize),
  };
}
