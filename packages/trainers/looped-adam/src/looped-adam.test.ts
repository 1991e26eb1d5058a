import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, setupTestBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch, Params } from '@learnability/core';
import { describeTrainerContract, expectClose } from '@learnability/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoopedTransformer } from '@learnability/looped-transformer';
import type { LoopedTransformerModel } from '@learnability/looped-transformer';
import { loopedLossAndGrads } from './looped-loss.js';
import { createLoopedAdam } from './looped-adam.js';

const R = 2;
const normals = (shape: number[], seed: number, std = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, std);
  return tf.tensor(v, shape);
};
const tiny = (loops: number, replicas = R) =>
  createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, loops, replicas });
const batch = (seed: number, replicas = R) => ({
  x: normals([replicas, 4, 6, 3], seed),
  y: normals([replicas, 4, 3], seed + 50),
});

/** A learnable toy: fresh N(0, I) prompts of 6 tokens; the target at x token 2i is ⟨w*, x_2i⟩ for a fixed w* (no context needed). */
function fixedLinearToy(step: number, replicas: number, B = 8): Batch {
  const w = [0.8, -0.5, 0.3];
  const x = new Float32Array(replicas * B * 6 * 3);
  createRng(9000 + step).normals(x);
  const y = new Float32Array(replicas * B * 3);
  for (let row = 0; row < replicas * B; row++) {
    for (let i = 0; i < 3; i++)
      y[row * 3 + i] = w.reduce((s, wj, j) => s + wj * (x[(row * 6 + 2 * i) * 3 + j] as number), 0);
  }
  return { x: tf.tensor4d(x, [replicas, B, 6, 3]), y: tf.tensor3d(y, [replicas, B, 3]) };
}

/** Init plus N(0, 0.2²) everywhere, so that every loop iteration changes the state noticeably. */
function jittered(model: LoopedTransformerModel, seed: number): Params {
  const params = model.init(replicaRngs(seed, R));
  const out = tf.tidy(() =>
    Object.fromEntries(
      Object.entries(params).map(([k, t], i) => [k, tf.add(t, normals(t.shape, seed * 100 + i, 0.2))]),
    ),
  );
  tf.dispose(params);
  return out;
}

describeEachBackend('looped-adam', () => {
  // The loop curriculum (b = 2, 2, 3, …) changes the plan across the save point of the round trip.
  // Learned: held-out MSE ≤ 0.1, a tenth of Var y = 0.98 (measured 0.022–0.044 after 60 steps).
  describeTrainerContract(
    'looped-adam, 1 block × 3 loops, T = 2, loop curriculum',
    (replicas) => ({
      trainer: createLoopedAdam({ lr: 1e-2, lossLoops: 2, loopsStart: 2, loopsIncrement: 1, loopsInterval: 2 }),
      model: tiny(3, replicas),
      batch: (seed) => batch(seed, replicas),
      toy: (step) => fixedLinearToy(step, replicas),
    }),
    { learnedMse: 0.1 },
  );

  it('gradients do not reach the first b − T loops: they are the derivative of the loss with those loops frozen', async () => {
    const model = tiny(3);
    const params = jittered(model, 2);
    const { x, y } = batch(3);
    const names = Object.keys(params);
    const direction: Params = Object.fromEntries(
      names.map((n, i) => [n, normals((params[n] as tf.Tensor).shape, 700 + i)]),
    );
    const { loss, grads } = loopedLossAndGrads(model, params, x, y, { loops: 3, lossLoops: 1, points: null });
    const along = tf.tidy(() =>
      names.reduce(
        (s: tf.Tensor, n) => tf.add(s, tf.sum(tf.mul(grads[n] as tf.Tensor, direction[n] as tf.Tensor))),
        tf.scalar(0),
      ),
    );
    const analytic = (await along.data())[0] as number;
    // Iterations 1..2 computed once with θ₀; only the third sees the perturbed θ.
    const frozenStart = tf.tidy(() => {
      const p = model.embed(params, x);
      return model.iterate(params, model.iterate(params, tf.zerosLike(p), p), p);
    });
    // ‖v‖ is large (N(0, 1) in every coordinate): a small step keeps the central difference accurate.
    const eps = 1e-3;
    const shifted = (sign: number): Params =>
      tf.tidy(() =>
        Object.fromEntries(
          names.map((n) => [n, tf.add(params[n] as tf.Tensor, tf.mul(direction[n] as tf.Tensor, sign * eps))]),
        ),
      );
    const lossAt = async (theta: Params, frozen: boolean) => {
      const value = tf.tidy(() => {
        const p = model.embed(theta, x);
        const start = frozen ? frozenStart : model.iterate(theta, model.iterate(theta, tf.zerosLike(p), p), p);
        return tf.sum(
          tf.mean(tf.reshape(tf.square(tf.sub(model.readout(theta, model.iterate(theta, start, p)), y)), [R, -1]), 1),
        );
      });
      const v = (await value.data())[0] as number;
      value.dispose();
      return v;
    };
    const [plus, minus] = [shifted(1), shifted(-1)];
    const frozenFd = ((await lossAt(plus, true)) - (await lossAt(minus, true))) / (2 * eps);
    const fullFd = ((await lossAt(plus, false)) - (await lossAt(minus, false))) / (2 * eps);
    expect(
      Math.abs(analytic - frozenFd),
      `∂L·v ${analytic} vs frozen-prefix finite difference ${frozenFd}`,
    ).toBeLessThan(0.03 * Math.abs(frozenFd) + 2e-3);
    expect(
      Math.abs(analytic - fullFd),
      `full backprop (${fullFd}) must differ from the truncated gradient (${analytic})`,
    ).toBeGreaterThan(0.1 * Math.abs(fullFd));
    tf.dispose([params, x, y, direction, loss, grads, along, frozenStart, plus, minus]);
  });

  it('the points curriculum trains on a prompt prefix: its loss is the full prompt’s first p positions', async () => {
    const model = tiny(1);
    const params = jittered(model, 5);
    const { x, y } = batch(6);
    const { loss, grads } = loopedLossAndGrads(model, params, x, y, { loops: 1, lossLoops: 1, points: 2 });
    const expected = tf.tidy(() => {
      const pred = tf.slice(model.apply(params, x), [0, 0, 0], [R, 4, 2]);
      return tf.mean(tf.reshape(tf.square(tf.sub(pred, tf.slice(y, [0, 0, 0], [R, 4, 2]))), [R, -1]), 1);
    });
    await expectClose(loss, expected, { atol: 1e-5, rtol: 1e-4, what: 'prefix loss' });
    // The last position's y token is never read by a kept prediction: no gradient through pos[4..5].
    const posGrad = tf.slice(grads.pos as tf.Tensor, [0, 4, 0], [R, 2, 8]);
    await expectClose(posGrad, new Float32Array(R * 2 * 8), {
      atol: 0,
      rtol: 0,
      what: 'gradient of positions past the prefix',
    });
    tf.dispose([params, x, y, loss, grads, expected, posGrad]);
  });

  it('the first step moves every coordinate with a nonzero gradient by lr·sign(g)', async () => {
    const model = tiny(2);
    const params = jittered(model, 8);
    const b = batch(9);
    const before: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(params)) before[k] = (await t.data()) as Float32Array;
    const { loss, grads } = loopedLossAndGrads(model, params, b.x, b.y, { loops: 2, lossLoops: 2, points: null });
    const g: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(grads)) g[k] = (await t.data()) as Float32Array;
    const trainer = createLoopedAdam({ lr: 0.01, lossLoops: 2, epsilon: 1e-12 });
    const result = trainer.step(trainer.init(model, params), b);
    for (const [k, t] of Object.entries(result.state.params)) {
      // Gradients that are 0 in exact arithmetic (the key bias: softmax ignores a shift shared by
      // every key) come out as float noise, whose sign Adam follows: compare the others only.
      const got = (await t.data()) as Float32Array;
      const kept = Array.from(g[k] as Float32Array, (_, i) => i).filter(
        (i) => Math.abs((g[k] as Float32Array)[i] as number) > 1e-6,
      );
      const expected = kept.map(
        (i) => ((before[k] as Float32Array)[i] as number) - 0.01 * Math.sign((g[k] as Float32Array)[i] as number),
      );
      await expectClose(
        kept.map((i) => got[i] as number),
        expected,
        { atol: 1e-5, rtol: 1e-4, what: k },
      );
    }
    trainer.dispose(result.state);
    tf.dispose([loss, grads, result.loss, b.x, b.y]);
  });
});

describe('looped-adam plans and config', () => {
  // Its checks make tensors: on cpu, set up here so that the block runs alone (`-t`) too.
  beforeAll(() => setupTestBackend('cpu'));
  it('follows the loop and points curricula, capped by the model', () => {
    const model = createLoopedTransformer({ tokens: 6, tokenSize: 2, embedSize: 4, heads: 1, loops: 7 });
    const trainer = createLoopedAdam({
      lossLoops: 2,
      loopsStart: 2,
      loopsIncrement: 2,
      loopsInterval: 10,
      pointsStart: 2,
      pointsIncrement: 1,
      pointsInterval: 5,
    });
    trainer.init(model, {});
    expect([0, 9, 10, 25, 30, 1000].map((s) => trainer.planAt(s))).toEqual([
      { loops: 2, lossLoops: 2, points: 2 },
      { loops: 2, lossLoops: 2, points: 3 },
      { loops: 4, lossLoops: 2, points: 3 },
      { loops: 6, lossLoops: 2, points: 3 },
      { loops: 7, lossLoops: 2, points: 3 },
      { loops: 7, lossLoops: 2, points: 3 },
    ]);
    const standard = createLoopedTransformer({ tokens: 6, tokenSize: 2, embedSize: 4, heads: 1, layers: 3 });
    const plain = createLoopedAdam();
    plain.init(standard, {});
    expect(plain.planAt(0)).toEqual({ loops: 1, lossLoops: 1, points: null });
  });

  it('rejects other models and bad options', () => {
    const notLooped = {
      ...createLoopedTransformer({ tokens: 2, tokenSize: 1, embedSize: 2, heads: 1 }),
      embed: undefined,
      name: 'dense',
    };
    expect(() => createLoopedAdam().init(notLooped as never, {})).toThrow(
      'looped-adam needs a looped-transformer model, but got "dense"',
    );
    // A points curriculum on a last-token model was ignored without a word.
    const last = createLoopedTransformer({ tokens: 5, tokenSize: 2, embedSize: 4, heads: 1, readout: 'last' });
    expect(() => createLoopedAdam({ pointsStart: 2 }).init(last, {})).toThrow(
      'looped-adam.pointsStart: the points curriculum trains on the first p (x, y) pairs of each prompt, which needs the interleaved readout, but the model reads out at its last token; leave pointsStart null',
    );
    // Every bad option at once, each as `looped-adam.<field>: expected …`.
    expect(() => createLoopedAdam({ lossLoops: 0, loopsStart: 1, loopsInterval: 0, beta1: 1 })).toThrow(
      'looped-adam.beta1: expected a number in [0, 0.9999], but got 1; looped-adam.lossLoops: expected an integer ≥ 1, but got 0; looped-adam.loopsInterval: expected an integer ≥ 1, but got 0',
    );
  });

  it("refuses targets without the predictions' shape, which would broadcast into another loss", async () => {
    const model = tiny(2, 1);
    const params = model.init(replicaRngs(0, 1));
    const x = normals([1, 4, 6, 3], 1);
    for (const y of [normals([1, 4, 1], 2), normals([1, 4], 3)]) {
      expect(() => loopedLossAndGrads(model, params, x, y, { loops: 2, lossLoops: 1, points: null })).toThrow(
        `loopedLoss: targets must be (R, B, outputs) = [1, 4, 3], but got [${y.shape.join(', ')}]; give one target per read-out position of each prompt`,
      );
      y.dispose();
    }
    // Prompts without the replica axis (a Task.sample batch) are refused by x, with the fix.
    const [x3, y2] = [normals([4, 6, 3], 4), normals([4, 3], 5)];
    expect(() => loopedLossAndGrads(model, params, x3, y2, { loops: 2, lossLoops: 1, points: null })).toThrow(
      'loopedLoss: prompts must be (R, B, T, d) with R = 1, but got [4, 6, 3]; a Task.sample batch has no replica axis: give tf.expandDims(x, 0) and tf.expandDims(y, 0) for one replica',
    );
    // Shorter prompts, or wider tokens, than the model's are refused before the gradient tape, which
    // would have failed inside and kept the tensors it had saved.
    const [short, targets] = [normals([1, 4, 4, 3], 6), normals([1, 4, 3], 7)];
    const before = tf.memory().numTensors;
    expect(() => loopedLossAndGrads(model, params, short, targets, { loops: 2, lossLoops: 1, points: null })).toThrow(
      "loopedLoss: prompts must be (R, B, T, d) with T = 6 and d = 3 (the model's tokens and tokenSize), but got [1, 4, 4, 3]",
    );
    expect(tf.memory().numTensors).toBe(before);
    // A last-token model reads a shorter prompt, as its apply does.
    const last = createLoopedTransformer({
      tokens: 6,
      tokenSize: 3,
      embedSize: 8,
      heads: 2,
      loops: 2,
      readout: 'last',
    });
    const lastParams = last.init(replicaRngs(0, 1));
    const one = normals([1, 4, 1], 8);
    const r = loopedLossAndGrads(last, lastParams, short, one, { loops: 2, lossLoops: 1, points: null });
    expect(Number.isFinite((await r.loss.data())[0] as number)).toBe(true);
    tf.dispose([r.loss, Object.values(r.grads), Object.values(lastParams), one]);
    tf.dispose([x, x3, y2, short, targets, Object.values(params)]);
  });
});
