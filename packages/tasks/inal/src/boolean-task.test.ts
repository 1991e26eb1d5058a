import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { ConfigError, createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { createBooleanTask } from './boolean-task.js';

describeEachBackend('boolean-target task', () => {
  describeTaskContract('parity:3, n = 12', () => createBooleanTask({ target: 'parity:3', n: 12, seed: 1 }));
  describeTaskContract('majority with label noise', () => createBooleanTask({ target: 'majority', n: 9, noise: 0.1 }));
  describeTaskContract('expr', () => createBooleanTask({ target: 'expr:x[0]*x[1] > 0 || x[5] < 0', n: 8 }));

  describe('createBooleanTask', () => {
    it('labels are the target on the sampled inputs; the tensors equal the host arrays', async () => {
      const task = createBooleanTask({ target: 'staircase:4', n: 10, seed: 3 });
      expect([task.outputSize, task.outputKind, task.layout, task.inputShape]).toEqual([1, 'sign', 'vector', [10]]);
      const batch = task.sample(50, createRng(2));
      const host = batch.host;
      if (!host) throw new Error('expected host arrays');
      expect(Array.from(await batch.x.data())).toEqual(Array.from(host.x));
      for (let r = 0; r < 50; r++) expect(host.y[r]).toBe(task.target.valueAt(host.x, r * 10));
      tf.dispose([batch.x, batch.y]);
    });

    it('flips about η of the training labels and none of the test labels', async () => {
      const task = createBooleanTask({ target: 'parity:2', n: 6, noise: 0.25 });
      const train = task.sampleHost(4000, createRng(1));
      let flipped = 0;
      for (let r = 0; r < 4000; r++) if (train.y[r] !== task.target.valueAt(train.x, r * 6)) flipped++;
      expect(flipped / 4000).toBeGreaterThan(0.22);
      expect(flipped / 4000).toBeLessThan(0.28);
      const test = task.testSet(500, 1);
      const [x, y] = [await test.x.data(), await test.y.data()];
      for (let r = 0; r < 500; r++) expect(y[r]).toBe(task.target.valueAt(x, r * 6));
      tf.dispose([test.x, test.y]);
    });
  });
});

describe('createBooleanTask config errors', () => {
  it('reports every field problem at once', () => {
    let error: unknown;
    try {
      createBooleanTask({ target: 'parity:2', n: 0, noise: 0.9, colour: 1 } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['task.colour', 'task.n', 'task.noise']);
    expect(() => createBooleanTask({ target: 'parity:20', n: 10 })).toThrow(
      'target: parity:20: k = 20 must be in [0, 10] at n = 10',
    );
  });

  it('describe() is plain data naming the target and its coordinates', () => {
    expect(createBooleanTask({ target: 'parity:[1,4]', n: 6 }).describe()).toEqual({
      name: 'boolean-target',
      target: 'parity:[1,4]',
      n: 6,
      noise: 0,
      seed: 0,
      relevant: [1, 4],
    });
  });
});
