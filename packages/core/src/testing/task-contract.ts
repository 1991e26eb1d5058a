import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import type { Task } from '../contracts.js';
import { expectClose, values } from './tensor-close.js';

/** The contract every `Task` must meet. Runs on the current TF.js backend. */
export function describeTaskContract(title: string, make: () => Task): void {
  describe(`Task contract: ${title}`, () => {
    it('sample gives x (n, ...inputShape) and y (n, outputSize), finite, with valid labels', async () => {
      const task = make();
      const before = tf.memory().numTensors;
      const b = task.sample(17, createRng(1));
      expect(b.x.shape).toEqual([17, ...task.inputShape]);
      expect(b.y.shape).toEqual([17, task.outputSize]);
      const y = Array.from(await values(b.y));
      if (task.outputKind === 'sign') expect(y.every((v) => v === 1 || v === -1)).toBe(true);
      else expect(y.every(Number.isFinite)).toBe(true);
      expect(Array.from(await values(b.x)).every(Number.isFinite)).toBe(true);
      if (b.host) {
        await expectClose(b.host.x, b.x, { atol: 0, rtol: 0, what: 'host x vs tensor x' });
        await expectClose(b.host.y, y, { atol: 0, rtol: 0, what: 'host y vs tensor y' });
      }
      if (task.sampleHost) {
        const host = task.sampleHost(17, createRng(1));
        await expectClose(host.x, b.x, { atol: 0, rtol: 0, what: 'sampleHost x vs sample x' });
        await expectClose(host.y, y, { atol: 0, rtol: 0, what: 'sampleHost y vs sample y' });
      }
      tf.dispose([b.x, b.y]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('sampling and the test set are deterministic in the seed', async () => {
      const task = make();
      const a = task.sample(9, createRng(4));
      const b = task.sample(9, createRng(4));
      const c = task.sample(9, createRng(5));
      await expectClose(a.x, b.x, { atol: 0, rtol: 0, what: 'x for equal seeds' });
      await expectClose(a.y, b.y, { atol: 0, rtol: 0, what: 'y for equal seeds' });
      const ax = Array.from(await values(a.x));
      const cx = Array.from(await values(c.x));
      expect(
        ax.some((v, i) => v !== cx[i]),
        'different seeds give different samples',
      ).toBe(true);
      const t1 = task.testSet(11, 3);
      const t2 = task.testSet(11, 3);
      await expectClose(t1.x, t2.x, { atol: 0, rtol: 0, what: 'test x' });
      await expectClose(t1.y, t2.y, { atol: 0, rtol: 0, what: 'test y' });
      tf.dispose([a.x, a.y, b.x, b.y, c.x, c.y, t1.x, t1.y, t2.x, t2.y]);
    });

    it('sample and sampleHost refuse a count that is no whole number ≥ 0 and a seed for the generator, in one line', () => {
      const task = make();
      const draws = [task.sample, ...(task.sampleHost ? [task.sampleHost] : [])];
      for (const draw of draws) {
        for (const count of [Number.NaN, 2.5, -1])
          expect(() => draw(count, createRng(0))).toThrow(
            new RegExp(`the sample count must be an integer ≥ 0, but got ${count}$`),
          );
        expect(() => draw(2, 5 as never)).toThrow(
          /expected a generator \(createRng\(seed\) from @learnability\/core\)/,
        );
      }
      const empty = task.sample(0, createRng(0));
      expect(empty.x.shape).toEqual([0, ...task.inputShape]);
      tf.dispose([empty.x, empty.y]);
    });

    it('describe() is plain JSON', () => {
      const task = make();
      expect(JSON.parse(JSON.stringify(task.describe()))).toEqual(task.describe());
    });
  });
}
