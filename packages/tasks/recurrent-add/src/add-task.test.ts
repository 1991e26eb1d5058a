import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { addTargets, createRecurrentAddTask } from './add-task.js';

describeEachBackend('recurrent add task', () => {
  describeTaskContract('recurrent-add, T = 12', () => createRecurrentAddTask({ steps: 12 }));
});

describe('recurrent add targets', () => {
  it('y_t = 0.5 + 0.5·x_{t−2} − 0.25·x_{t−5}, with no wrap-around at the start', () => {
    const x = [1, 1, 0, 1, 0, 1, 1, 0];
    // t < 2: no lagged input yet (the original generator would have read x from the end).
    const expected = [0.5, 0.5, 1, 1, 0.5, 1 - 0.25, 0.5 + 0.5 * 0 - 0.25, 1 - 0];
    expect(Array.from(addTargets(x))).toEqual(expected);
    // A short `out` or a negative offset lost targets without a word.
    expect(() => addTargets(x, new Float32Array(4))).toThrow(
      'addTargets: out (4 values) must hold offset + x.length = 0 + 8, offset an integer ≥ 0',
    );
    expect(() => addTargets(x, new Float32Array(16), -3)).toThrow(
      'addTargets: out (16 values) must hold offset + x.length = -3 + 8',
    );
    // A length where the sequence goes gave no targets at all.
    expect(() => addTargets(5 as never)).toThrow(
      'addTargets: x must be one input sequence (an array of 0/1), but got 5',
    );
  });

  it('every sampled sequence satisfies the rule, and x is Bernoulli(½)', () => {
    const task = createRecurrentAddTask();
    const { x, y } = task.sampleHost?.(200, createRng(3)) ?? { x: new Float32Array(), y: new Float32Array() };
    expect(x.length).toBe(200 * 100);
    for (let s = 0; s < 200; s++) {
      for (let t = 0; t < 100; t++) {
        const lag = (k: number) => (t - k >= 0 ? (x[s * 100 + t - k] as number) : 0);
        expect(y[s * 100 + t]).toBeCloseTo(0.5 + 0.5 * lag(2) - 0.25 * lag(5), 6);
      }
    }
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(new Set(x).size).toBe(2);
  });

  it('has the shapes a sequence model trains on: x (N, T, 1), y (N, T)', () => {
    const task = createRecurrentAddTask({ steps: 7 });
    const b = task.sample(3, createRng(1));
    expect([b.x.shape, b.y.shape, task.layout, task.outputKind]).toEqual([[3, 7, 1], [3, 7], 'sequence', 'real']);
    tf.dispose([b.x, b.y]);
  });

  it('reports every bad option at once, by path', () => {
    expect(() => createRecurrentAddTask({ steps: 0, p: 1.5 })).toThrow(
      'recurrent-add.steps: expected an integer in [1, 10000], but got 0; recurrent-add.p: expected a number in [0, 1], but got 1.5',
    );
  });
});
