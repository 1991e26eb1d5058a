import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import type { Rng, Task } from '@learnability/core';
import { describeEachBackend } from '@learnability/backends/testing';
import { expect, it } from 'vitest';
import { ReplicaSampler } from './sampler.js';

/** A task whose every example is the step it was drawn for (0 when none was given). */
function stepEcho(): Task {
  const sampleHost = (n: number, _rng: Rng, step?: number) => ({ x: new Float32Array(n).fill(step ?? 0), y: new Float32Array(n).fill(step ?? 0) });
  return {
    name: 'step-echo',
    inputShape: [1],
    outputSize: 1,
    outputKind: 'real',
    layout: 'vector',
    sampleHost,
    sample: (n, rng, step) => {
      const h = sampleHost(n, rng, step);
      return { x: tf.tensor2d(h.x, [n, 1]), y: tf.tensor2d(h.y, [n, 1]), host: h };
    },
    testSet: (n) => ({ x: tf.zeros([n, 1]), y: tf.zeros([n, 1]) }),
    describe: () => ({ name: 'step-echo' }),
  };
}

describeEachBackend('ReplicaSampler', () => {
  it('passes the training step to the task (for curricula); a fixed training set is drawn without one', async () => {
    const online = new ReplicaSampler(stepEcho(), [createRng(1), createRng(2)], 3, null);
    const b = online.next(7);
    expect(Array.from(await b.x.data())).toEqual(new Array(6).fill(7));
    const finite = new ReplicaSampler(stepEcho(), [createRng(1)], 2, 4);
    const f = finite.next(7);
    expect(Array.from(await f.x.data())).toEqual([0, 0]);
    tf.dispose([b.x, b.y, f.x, f.y]);
  });
});
