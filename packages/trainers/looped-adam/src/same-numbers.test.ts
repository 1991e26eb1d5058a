/**
 * The looped trainer gives the same numbers on cpu as before it moved here from
 * `@learnability/looped-transformer` onto `@learnability/sgd`'s one Adam. EXPECTED was recorded
 * from that earlier code (commit d2b777c, `createLoopedAdam` of the model package with its own
 * `adamUpdate`) by running exactly this setup on the cpu backend and printing the losses and the
 * float64 sum of every final parameter. They were equal bit for bit until LayerNorm and GELU
 * got gradients written out (the model's layer-norm.ts and gelu.ts): the same functions and
 * derivatives, rounded differently, which moved the losses by up to 5e-7 relative. So the check
 * is now to float32 rounding over 6 steps; a wrong update or curriculum moves them far more.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { createRng, replicaRngs } from '@learnability/core';
import { createLoopedTransformer } from '@learnability/looped-transformer';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoopedAdam } from './looped-adam.js';

const EXPECTED = {
  losses: [
    1.3291605710983276, 0.6755964756011963, 1.3950836658477783, 0.7894397377967834, 2.2110419273376465,
    2.3070616722106934, 1.383474349975586, 1.4760210514068604, 1.3254444599151611, 0.757859468460083,
    0.7841184139251709, 0.937126636505127,
  ],
  paramSum: 51.842240787387595,
};

describe('looped-adam [cpu]', () => {
  beforeAll(async () => {
    await setupBackend('cpu');
  });

  it('6 steps (R = 2, both curricula, weight decay) give the losses and parameters recorded before Adam was shared', async () => {
    const R = 2;
    const normals = (shape: number[], seed: number) => {
      const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
      createRng(seed).normals(v, 1);
      return tf.tensor(v, shape);
    };
    const model = createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, loops: 4, replicas: R });
    const trainer = createLoopedAdam({
      lr: 1e-2,
      lossLoops: 2,
      weightDecay: 0.1,
      loopsStart: 2,
      loopsIncrement: 1,
      loopsInterval: 2,
      pointsStart: 2,
      pointsIncrement: 1,
      pointsInterval: 3,
    });
    let state = trainer.init(model, model.init(replicaRngs(3, R)));
    const losses: number[] = [];
    for (let s = 0; s < 6; s++) {
      const x = normals([R, 4, 6, 3], 100 + s);
      const y = normals([R, 4, 3], 200 + s);
      const r = trainer.step(state, { x, y });
      state = r.state;
      losses.push(...(await r.loss.data()));
      tf.dispose([x, y, r.loss]);
    }
    let sum = 0;
    for (const t of Object.values(state.params)) for (const v of await t.data()) sum += v;
    trainer.dispose(state);
    for (const [i, loss] of losses.entries()) expect(loss).toBeCloseTo(EXPECTED.losses[i] as number, 5);
    expect(sum).toBeCloseTo(EXPECTED.paramSum, 3);
  });
});
