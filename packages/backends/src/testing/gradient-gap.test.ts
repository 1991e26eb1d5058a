import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend } from './describe-each-backend.js';
import { gradientGap } from './without-kernels.js';

describeEachBackend('gradientGap', () => {
  it('the largest gap over every input between two gradients, the kernels the first ran, and no tensor left', async () => {
    const [x, y] = [tf.tensor([1, -2, 3]), tf.tensor([0.5, 0.5, 2])];
    const dy = tf.tensor([1, 2, -1]);
    const before = tf.memory().numTensors;
    // ∂/∂x Σ x²y ⊙ dy = 2xy·dy, ∂/∂y = x²·dy; against x·y (∂x = y·dy, ∂y = x·dy):
    // gaps |2xy − y|·|dy| = 0.5, 5, 10 and |x² − x|·|dy| = 0, 12, 6, so 12.
    const far = await gradientGap(
      (a, b) => tf.mul(tf.square(a), b as tf.Tensor),
      (a, b) => tf.mul(a, b as tf.Tensor),
      [x, y],
      dy,
    );
    expect(far.gap).toBeCloseTo(12, 5);
    // The backward pass's kernels are there too: Relu's gradient alone runs Step.
    const same = await gradientGap(tf.relu, tf.relu, [x], dy);
    expect(same.gap).toBe(0);
    expect(same.kernelsRan).toEqual(expect.arrayContaining(['Relu', 'Step']));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, dy]);
  });
});

describe('gradientGap', () => {
  it('refuses no input in one line', async () => {
    await expect(gradientGap(tf.square, tf.square, [], tf.scalar(1))).rejects.toThrow(
      'gradientGap: expected at least one input to differentiate by, but got none',
    );
  });
});
