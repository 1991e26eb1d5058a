import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { ConfigError, createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { BOOLEAN_TASK_SCHEMA, booleanTargetSpec, createBooleanTask } from './boolean-task.js';
import { TARGET_FAMILIES } from './target-spec.js';

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
  it('reports every bad option at once, by path', () => {
    let error: unknown;
    try {
      createBooleanTask({ target: 'parity:2', n: 0, noise: 0.9, seed: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'boolean-target.n: expected an integer in [1, 1048576], but got 0; boolean-target.noise: expected a number in [0, 0.5], but got 0.9; boolean-target.seed: expected an integer in [0, 2147483648], but got -1',
    );
    expect(() => createBooleanTask({ family: 'threshold', n: 4, k: 5, t: 6 })).toThrow(
      'boolean-target.k: must be ≤ n (4), but got 5; boolean-target.t: the threshold must be ≤ k (5), but got 6',
    );
    expect(() => createBooleanTask({ target: 'parity:20', n: 10 })).toThrow(
      'target: parity:20: k = 20 must be in [0, 10] at n = 10',
    );
    expect(() => createBooleanTask({ target: 'parity:2', family: 'majority', k: 3 })).toThrow(
      'boolean-target.family: give a target spec or family, k and t, not both; boolean-target.k: give a target spec',
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

describe('boolean-target options', () => {
  it('a family with k and t stands for a target spec, and builds the task that spec builds', () => {
    expect(booleanTargetSpec({ family: 'parity', k: 3, t: 1 })).toBe('parity:3');
    expect(booleanTargetSpec({ family: 'threshold', k: 5, t: 2 })).toBe('threshold:5:2');
    expect(booleanTargetSpec({ family: 'majority', k: 0, t: 1 })).toBe('majority');
    expect(booleanTargetSpec({ family: 'majority', k: 5, t: 1 })).toBe('majority:5');
    const byFamily = createBooleanTask({ family: 'staircase', k: 4, n: 10, seed: 3 }).describe();
    expect(byFamily).toEqual(createBooleanTask({ target: 'staircase:4', n: 10, seed: 3 }).describe());
    expect(createBooleanTask().describe()).toMatchObject({ target: 'parity:2', n: 32, noise: 0, seed: 0 });
  });

  it('a config names every family of the spec grammar but expr and table', () => {
    expect(BOOLEAN_TASK_SCHEMA.fields.family.values).toEqual(
      TARGET_FAMILIES.filter((f) => f !== 'expr' && f !== 'table'),
    );
  });
});
