/**
 * Evaluating the trained looped and standard models on host prompts, and the classical learners on
 * the same prompts: error by number of in-context examples.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params, Task } from '@learnability/core';
import {
  createAveraging,
  createLeastSquares,
  createNearestNeighbours,
  errorByExamples,
  learnerErrorByExamples,
} from '@learnability/in-context';
import type { InContextTask } from '@learnability/in-context';
import type { LoopedTransformerModel } from '@learnability/looped-transformer';

export function isInContextTask(task: Task): task is InContextTask {
  return 'errorScale' in task && 'points' in task && 'dims' in task;
}

/** Prompts per forward pass during evaluation (bounds memory). */
const CHUNK = 200;

/** Host prompts x (N · 2P · d), y (N · P). */
export interface Prompts {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

/**
 * Calls `each` on the prompts in chunks: a (1, n, 2P, d) tensor of prompts [start, start + n) for
 * a one-replica model (replica 0 of the params; the experiment trains one), disposed after.
 */
async function overChunks(
  task: InContextTask,
  prompts: Prompts,
  each: (x: tf.Tensor, start: number) => Promise<void>,
): Promise<void> {
  const size = 2 * task.points * task.dims;
  for (let start = 0; start < prompts.count; start += CHUNK) {
    const n = Math.min(CHUNK, prompts.count - start);
    const x = tf.tensor4d(prompts.x.subarray(start * size, (start + n) * size), [1, n, 2 * task.points, task.dims]);
    try {
      await each(x, start);
    } finally {
      x.dispose();
    }
  }
}

/** Predictions after every loop iteration 1..loops, over all prompts: `loops` arrays (N · P). */
export async function predictionsByLoop(
  model: LoopedTransformerModel,
  params: Params,
  task: InContextTask,
  prompts: Prompts,
  loops: number,
): Promise<Float32Array[]> {
  const out = Array.from({ length: loops }, () => new Float32Array(prompts.count * task.points));
  await overChunks(task, prompts, async (x, start) => {
    const preds = model.predictionsByLoop(params, x, loops);
    for (let t = 0; t < loops; t++)
      (out[t] as Float32Array).set((await (preds[t] as tf.Tensor).data()) as Float32Array, start * task.points);
    tf.dispose(preds);
  });
  return out;
}

/** `model.apply` (its own loop count) over all prompts: (N · P). */
export async function predictions(
  model: LoopedTransformerModel,
  params: Params,
  task: InContextTask,
  prompts: Prompts,
): Promise<Float32Array> {
  const out = new Float32Array(prompts.count * task.points);
  await overChunks(task, prompts, async (x, start) => {
    const y = model.apply(params, x);
    out.set((await y.data()) as Float32Array, start * task.points);
    y.dispose();
  });
  return out;
}

/** Normalised error by in-context examples k = 0..P−1 (the paper's y-axis). */
export function curve(task: InContextTask, prompts: Prompts, pred: ArrayLike<number>): number[] {
  return Array.from(errorByExamples(pred, prompts.y, task.points, task.errorScale));
}

/** The classical baselines' curves on the same prompts. */
export function baselineCurves(task: InContextTask, prompts: Prompts): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const learner of [createLeastSquares(), createAveraging(), createNearestNeighbours(3)]) {
    out[learner.name] = Array.from(learnerErrorByExamples(learner, prompts, task.points, task.dims, task.errorScale));
  }
  return out;
}
