import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorByExamples, learnerErrorByExamples, learnerPredictions, modelErrorByExamples } from './evaluate.js';
import { createLeastSquares } from './baselines/least-squares.js';
import { createInContextTask } from './in-context-task.js';

describe('errorByExamples', () => {
  it('averages (ŷ_k − y_k)² over prompts per position, divided by the scale', () => {
    const err = errorByExamples([1, 2, 3, 4], [0, 0, 1, 1], 2, 2);
    expect(Array.from(err)).toEqual([(1 + 4) / 2 / 2, (4 + 9) / 2 / 2]);
    expect(() => errorByExamples([1, 2, 3], [1, 2, 3], 2)).toThrow('errorByExamples');
  });

  it('refuses points that are no whole count and a scale that is not finite and positive, in one line', () => {
    expect(() => errorByExamples([1], [1], 1.5)).toThrow('errorByExamples: points must be an integer ≥ 1, but got 1.5');
    expect(() => errorByExamples([1], [1], 1, 0)).toThrow(
      "errorByExamples: scale must be a finite number > 0 (the task's errorScale), but got 0",
    );
    expect(() => errorByExamples([1], [1], 1, Number.NaN)).toThrow('but got NaN');
  });
});

describe('learnerPredictions', () => {
  it('refuses points 0 (it looped for ever) and tokens that hold no whole number of prompts', () => {
    const learner = createLeastSquares();
    expect(() => learnerPredictions(learner, new Float32Array(8), 0, 2)).toThrow(
      'learnerPredictions: points must be an integer ≥ 1, but got 0',
    );
    expect(() => learnerPredictions(learner, new Float32Array(7), 2, 2)).toThrow(
      "learnerPredictions: tokens (7 values) must hold N · 2 · points · dims = N · 8 values; pass the task's points and dims",
    );
    // It returned an empty curve's predictions without a word.
    expect(() => learnerPredictions(learner, new Float32Array(0), 2, 2)).toThrow(
      'learnerPredictions: no prompts (tokens is empty); give at least one',
    );
  });
});

describeEachBackend('modelErrorByExamples', () => {
  const [points, dims, count] = [4, 3, 7];
  const task = createInContextTask({ family: 'linear-regression', dims, points });
  // Drawn once the block's backend is set up (describeEachBackend's beforeAll runs first), not while
  // vitest collects the tests, when no backend need be registered.
  let prompts: { x: Float32Array; y: Float32Array } = { x: new Float32Array(), y: new Float32Array() };
  beforeAll(() => {
    const test = task.testSet(count, 5);
    tf.dispose([test.x, test.y]);
    prompts = { x: test.host?.x ?? new Float32Array(), y: test.host?.y ?? new Float32Array() };
  });
  /** A (1, n, 2P, d) batch → the first coordinate of each x token, (1, n, P). */
  const firstCoordinate = (x: tf.Tensor4D) =>
    tf.reshape(tf.slice(tf.reshape(x, [1, -1, points, 2, dims]), [0, 0, 0, 0, 0], [1, -1, points, 1, 1]), [
      1,
      -1,
      points,
    ]);

  it('gives the curve of each output, fed in uneven chunks, equal to errorByExamples on the host predictions, and frees every tensor', async () => {
    const host = Float32Array.from({ length: count * points }, (_, i) => {
      const [p, k] = [Math.floor(i / points), i % points];
      return prompts.x[(p * 2 * points + 2 * k) * dims] as number;
    });
    const before = tf.memory().numTensors;
    const curves = await modelErrorByExamples(
      (x) => [firstCoordinate(x), tf.zeros([1, x.shape[1], points])],
      prompts,
      points,
      dims,
      task.errorScale,
      3,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(curves.map((c) => Array.from(c))).toEqual([
      Array.from(errorByExamples(host, prompts.y, points, task.errorScale)),
      Array.from(errorByExamples(new Float32Array(count * points), prompts.y, points, task.errorScale)),
    ]);
    const [one] = await modelErrorByExamples(firstCoordinate, prompts, points, dims, task.errorScale);
    expect(Array.from(one ?? [])).toEqual(Array.from(curves[0] ?? []));
  });

  it('refuses prompts that do not fit points and dims, naming its caller and what x should hold', async () => {
    const want = `prompts.y (28 values) must hold N · points and prompts.x (168) N · 2 · points · dims, with points = 4 and dims = 4 (N = 7: x should hold 224); pass the task's points and dims`;
    expect(() => learnerErrorByExamples(createLeastSquares(), prompts, points, dims + 1)).toThrow(
      `learnerErrorByExamples: ${want}`,
    );
    await expect(modelErrorByExamples(firstCoordinate, prompts, points, dims + 1)).rejects.toThrow(
      `modelErrorByExamples: ${want}`,
    );
    expect(() => learnerErrorByExamples(createLeastSquares(), prompts, 5, dims)).toThrow(
      /^learnerErrorByExamples: prompts\.y \(28 values\) must hold N · points .* with points = 5 and dims = 3; pass/,
    );
    // A batch of tensors (task.sample) in place of the host arrays read as "undefined values".
    const [x, y] = [tf.tensor(prompts.x), tf.tensor(prompts.y)];
    expect(() => learnerErrorByExamples(createLeastSquares(), { x, y } as never, points, dims)).toThrow(
      "learnerErrorByExamples: prompts must be host arrays { x, y }, as task.sampleHost(count, rng) gives them (or a batch's .host), but got tensors",
    );
    tf.dispose([x, y]);
    // No prompts: the learners' curves were NaN at every k, the model's empty.
    const none = { x: new Float32Array(0), y: new Float32Array(0) };
    expect(() => learnerErrorByExamples(createLeastSquares(), none, points, dims)).toThrow(
      'learnerErrorByExamples: no prompts (prompts.x and prompts.y are empty); draw at least one',
    );
    await expect(modelErrorByExamples(firstCoordinate, none, points, dims)).rejects.toThrow(
      'modelErrorByExamples: no prompts',
    );
    expect(() => errorByExamples([], [], 3)).toThrow(
      'errorByExamples: no prompts (predictions and targets are empty); give at least one',
    );
  });

  it('refuses a chunk that is no whole count ≥ 1 (0 looped for ever), and predictions of another shape', async () => {
    await expect(modelErrorByExamples(firstCoordinate, prompts, points, dims, 1, 0)).rejects.toThrow(
      'modelErrorByExamples: chunk must be an integer ≥ 1, but got 0',
    );
    const before = tf.memory().numTensors;
    const wrong = (x: tf.Tensor4D) => tf.tidy(() => tf.reshape(firstCoordinate(x), [-1, points]));
    await expect(modelErrorByExamples(wrong, prompts, points, dims)).rejects.toThrow(
      "modelErrorByExamples: predict's output 0 must have shape [1, 7, 4], but got [7, 4]",
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a predict that gives another number of outputs on a later chunk (the missing one scored as 0)', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const growing = (x: tf.Tensor4D) => {
      calls++;
      return calls === 1 ? firstCoordinate(x) : [firstCoordinate(x), firstCoordinate(x)];
    };
    await expect(modelErrorByExamples(growing, prompts, points, dims, 1, 4)).rejects.toThrow(
      'modelErrorByExamples: predict gave 1 output(s) on the first 4 prompts but 2 on prompts from 4; give the same outputs for every batch',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees its batch when predict throws', async () => {
    const before = tf.memory().numTensors;
    await expect(
      modelErrorByExamples(() => tf.tidy(() => (tf.zeros([1]), raise())), prompts, points, dims),
    ).rejects.toThrow('no model');
    expect(tf.memory().numTensors).toBe(before);
  });
});

function raise(): never {
  throw new Error('no model');
}
