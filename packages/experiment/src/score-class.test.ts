import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { expect, it } from 'vitest';
import { hostScores, scoreBatch } from './evaluate.js';

describeEachBackend('scoreBatch for class tasks', () => {
  it('accuracy is argmax agreement per replica, error 1 − accuracy; targets may be shared (1, B, C)', async () => {
    // 2 replicas × 2 examples × 3 classes; targets one-hot − 0.1 (classes 2 and 0).
    const pred = tf.tensor3d([0.1, 0.2, 0.9, 0.8, 0.1, 0.0, 0.5, 0.1, 0.2, 0.1, 0.7, 0.3], [2, 2, 3]);
    const target = tf.tensor3d([-0.1, -0.1, 0.9, 0.9, -0.1, -0.1], [1, 2, 3]);
    const scores = scoreBatch(pred, target, 'class');
    expect(scores.rows).toBe(2);
    expect(await hostScores(scores)).toEqual({ accuracy: [1, 0], error: [0, 1] });
    tf.dispose([pred, target, scores.value]);
  });
});
