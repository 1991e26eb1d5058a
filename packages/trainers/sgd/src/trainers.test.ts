import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch, Trainer } from '@learnability/core';
import { describeTrainerContract, expectClose, signTeacherBatch } from '@learnability/core/testing';
import { createDense } from '@learnability/dense';
import { describe, expect, it } from 'vitest';
import { createAdam } from './adam.js';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import { lossAndGrads } from './gradients.js';
import { perReplicaLoss } from './losses.js';
import { createNoisyGd } from './noisy-gd.js';
import { createSgd } from './sgd.js';
import type { GradientTransformation } from './transforms.js';

const R = 2;
const model = (replicas = R) => createDense({ inputSize: 6, widths: [10], replicas, bias: 'fan-in' });
const signs = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).signs(v);
  return tf.tensor(v, shape);
};
const batch = (seed: number, replicas = R): Batch => ({
  x: signs([replicas, 8, 6], seed),
  y: signs([replicas, 8, 1], seed + 100),
});

async function read(ts: Record<string, tf.Tensor>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(ts)) out[k] = (await t.data()) as Float32Array;
  return out;
}

async function oneStep(trainer: Trainer, seed = 1) {
  const m = model();
  const params = m.init(replicaRngs(seed, R));
  const before = await read(params);
  const b = batch(seed);
  const { grads, loss } = lossAndGrads(m, params, b, 'hinge');
  const g = await read(grads);
  tf.dispose([grads, loss]);
  const result = trainer.step(trainer.init(m, params), b);
  return { before, g, result, b };
}

describeEachBackend('trainers', () => {
  const trainers: [string, () => Trainer, number][] = [
    ['sgd', () => createSgd({ lr: 0.1 }), 60],
    ['sgd + momentum + weight decay', () => createSgd({ lr: 0.1, momentum: 0.9, weightDecay: 0.01 }), 60],
    ['adam', () => createAdam({ lr: 0.01, loss: 'hinge' }), 60],
    ['noisy-gd', () => createNoisyGd({ lr: 0.1, clip: 0.05, noise: 0.01 }), 200],
  ];
  // The toy task: fresh samples of a fixed 6-bit linear-threshold teacher, fitted (≥ 90% on new
  // batches, whose 64 possible inputs it has mostly trained on; chance is 50%) in 60 steps, noisy
  // GD's clipped, noisy steps in 200.
  for (const [title, make, learnSteps] of trainers) {
    describeTrainerContract(
      title,
      (replicas) => ({
        trainer: make(),
        model: model(replicas),
        batch: (seed) => batch(seed, replicas),
        toy: (step) => signTeacherBatch({ replicas, batchSize: 16, inputSize: 6, seed: 4 }, step),
      }),
      { learnSteps, learnedAccuracy: 0.9 },
    );
  }

  it("refuses a target y without the predictions' shape, which would broadcast into another loss", () => {
    // (1, B) against (1, B, 1) predictions broadcast to (1, B, B): every output trained towards every label.
    const dense = model(1);
    const x = signs([1, 8, 6], 1);
    for (const y of [signs([1, 8], 2), signs([8], 3), signs([1, 8, 2], 4)]) {
      for (const trainer of [createSgd({ loss: 'mse' }), createAdam({ loss: 'mse' }), createNoisyGd({ loss: 'mse' })]) {
        const state = trainer.init(dense, dense.init(replicaRngs(0, 1)));
        const before = tf.memory().numTensors;
        expect(() => trainer.step(state, { x, y }), `y [${y.shape}]`).toThrow(
          `mse loss: the batch's y must have the predictions' shape [1, 8, 1] (replicas, batch, outputs), but got [${y.shape.join(', ')}]; give y as (R, B, out), e.g. tf.expandDims(y, -1) for one output`,
        );
        expect(tf.memory().numTensors).toBe(before);
        trainer.dispose(state);
      }
      y.dispose();
    }
    x.dispose();
  });

  it('refuses a batch without the replica axis (a Task.sample batch) by its x, before anything is taped', () => {
    const dense = model(1);
    const batches = [
      { x: signs([8, 6], 5), y: signs([8, 1], 6), hint: true },
      { x: signs([2, 8, 6], 7), y: signs([2, 8, 1], 8), hint: false },
    ];
    for (const { x, y, hint } of batches)
      for (const trainer of [createSgd(), createAdam(), createNoisyGd()]) {
        const state = trainer.init(dense, dense.init(replicaRngs(0, 1)));
        const before = tf.memory().numTensors;
        const none = '; a Task.sample batch has none: give tf.expandDims(x, 0) and tf.expandDims(y, 0) for one replica';
        expect(() => trainer.step(state, { x, y }), `x [${x.shape}]`).toThrow(
          `dense: the batch's x must have shape [1, B, 6] (replicas, batch, input), but got [${x.shape.join(', ')}]${hint ? none : ''}`,
        );
        expect(tf.memory().numTensors).toBe(before);
        trainer.dispose(state);
      }
    tf.dispose(batches.flatMap((b) => [b.x, b.y]));
  });

  it('refuses a loss name outside LOSSES in one line (plain JS), naming the ones there are', () => {
    const message = 'loss: expected one of "hinge", "mse", "logistic", "correlation", but got "l2"';
    expect(() => gradientOf('l2' as never)).toThrow(message);
    const pred = tf.zeros([1, 2, 1]);
    expect(() => perReplicaLoss('l2' as never, pred, pred)).toThrow(message);
    pred.dispose();
    // lossAndGrads too, before its tape: inside it, the error left the tape's tensors behind.
    const m = model();
    const params = m.init(replicaRngs(1, R));
    const b = batch(1);
    const before = tf.memory().numTensors;
    expect(() => lossAndGrads(m, params, b, 'l2' as never)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([Object.values(params), b.x, b.y]);
  });

  it("restoreState rejects another trainer's state, naming every slot that does not fit", () => {
    const m = model();
    const adam = createAdam();
    const state = adam.init(m, m.init(replicaRngs(1, R)));
    expect(() => createSgd({ momentum: 0.9 }).restoreState(m, adam.saveState(state))).toThrow(
      /^[^\n]*sgd\.restoreState: slots\.w0\.momentum: missing[^\n]*; sgd\.restoreState: slots\.w0\.m: not a slot of this trainer[^\n]*$/,
    );
    // A state missing its slots, or none: a TypeError naming nothing.
    const { step, params } = adam.saveState(state);
    expect(() => adam.restoreState(m, { step, params } as never)).toThrow(
      /^adam\.restoreState: expected \{ step, params, slots \}, as saveState returns it, but got /,
    );
    expect(() => adam.restoreState(m, undefined as never)).toThrow(
      'adam.restoreState: expected { step, params, slots }, as saveState returns it, but got undefined',
    );
    adam.dispose(state);
  });

  it('a trainer steps one model: a second one given to init or restoreState is refused, the same one again is not', () => {
    const [first, second] = [model(), model()];
    const sgd = createSgd();
    const state = sgd.init(first, first.init(replicaRngs(1, R)));
    const message = 'sgd.init: this trainer already trains another model ("dense"); create one trainer per model';
    const params = second.init(replicaRngs(2, R));
    expect(() => sgd.init(second, params)).toThrow(message);
    expect(() => sgd.restoreState(second, sgd.saveState(state))).toThrow(message.replace('.init', '.restoreState'));
    sgd.dispose(sgd.init(first, params));
    sgd.dispose(state);
    expect(() => createSgd().init(undefined as never, {})).toThrow(
      'sgd.init: expected a model (createDense(…), createRnn(…), …) first, but got undefined',
    );
  });

  it('init refuses what is not params, and step a consumed state or a batch that is not tensors, each in one line, leaking nothing', () => {
    const m = model();
    const sgd = createSgd();
    const before = tf.memory().numTensors;
    const init = 'sgd.init(model, params): params must be the parameters that model.init(rngs) returns, but got';
    expect(() => sgd.init(m, undefined as never)).toThrow(`${init} undefined`);
    expect(() => sgd.init(m, replicaRngs(0, R) as never)).toThrow(`${init} [a Xoshiro128, a Xoshiro128]`);
    expect(() => sgd.init(m, { w0: [1, 2] } as never)).toThrow('sgd.init(model, params): params.w0 must be a tensor');
    expect(tf.memory().numTensors).toBe(before);
    const state = sgd.init(m, m.init(replicaRngs(1, R)));
    const b = batch(1);
    const step = 'sgd.step(state, batch): ';
    expect(() => sgd.step(state, undefined as never)).toThrow(
      `${step}batch must be { x, y } tensors with the replica axis first (R, B, …), but got undefined`,
    );
    expect(() => sgd.step(state, { x: b.x } as never)).toThrow(`${step}batch must be { x, y } tensors`);
    const freed = tf.clone(b.x);
    freed.dispose();
    expect(() => sgd.step(state, { x: freed, y: b.y })).toThrow(
      `${step}batch.x was disposed: the batch was freed before the step`,
    );
    const bare = m.init(replicaRngs(1, R));
    expect(() => sgd.step(bare as never, b)).toThrow(`${step}state must be what init(model, params)`);
    tf.dispose(Object.values(bare));
    const next = sgd.step(state, b);
    // The first step consumed `state`: stepping it again would read freed parameters.
    expect(() => sgd.step(state, b)).toThrow(
      `${step}state.params.w0 was disposed: a step consumes the state it is given; step the state it returned`,
    );
    sgd.dispose(next.state);
    tf.dispose([next.loss, b.x, b.y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('losses equal their plain-JS definitions per replica', async () => {
    const pred = tf.tensor3d([0.5, -2, 1.5, 0.2, 0, -0.7], [2, 3, 1]);
    const y = tf.tensor3d([1, 1, -1, -1, 1, -1], [2, 3, 1]);
    const before = tf.memory().numTensors;
    const p = [0.5, -2, 1.5, 0.2, 0, -0.7];
    const t = [1, 1, -1, -1, 1, -1];
    const per = (f: (a: number, b: number) => number) =>
      [0, 1].map((r) => [0, 1, 2].reduce((s, i) => s + f(p[r * 3 + i] as number, t[r * 3 + i] as number), 0) / 3);
    const refs = {
      hinge: per((a, b) => Math.max(0, 1 - a * b)),
      mse: per((a, b) => (a - b) ** 2),
      logistic: per((a, b) => Math.log1p(Math.exp(-a * b))),
      correlation: per((a, b) => -a * b),
    };
    for (const [name, ref] of Object.entries(refs)) {
      const loss = perReplicaLoss(name as keyof typeof refs, pred, y);
      await expectClose(loss, ref, { what: name });
      loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([pred, y]);
  });

  it('an SGD step is θ − η(g + λθ); with momentum the first buffer is g + λθ, and the second step adds μ times it', async () => {
    const trainer = createSgd({ lr: 0.1, weightDecay: 0.01, momentum: 0.9 });
    const { before, g, result, b } = await oneStep(trainer);
    const firstBuffer: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(result.state.params)) {
      firstBuffer[k] = (before[k] as Float32Array).map((v, i) => ((g[k] as Float32Array)[i] as number) + 0.01 * v);
      const expected = (before[k] as Float32Array).map(
        (v, i) => v - 0.1 * ((firstBuffer[k] as Float32Array)[i] as number),
      );
      await expectClose(t, expected, { atol: 1e-6, rtol: 1e-5, what: k });
      await expectClose(result.state.slots[`${k}.momentum`] as tf.Tensor, firstBuffer[k] as Float32Array, {
        atol: 1e-6,
        rtol: 1e-5,
        what: `${k}.momentum`,
      });
    }
    // θ₂ = θ₁ − η(μ·b₁ + g₂ + λθ₁), g₂ at θ₁ on the same batch.
    const theta1 = await read(result.state.params);
    const { grads, loss } = lossAndGrads(model(), result.state.params, b, 'hinge');
    const g2 = await read(grads);
    tf.dispose([grads, loss]);
    const second = trainer.step(result.state, b);
    for (const [k, t] of Object.entries(second.state.params)) {
      const expected = (theta1[k] as Float32Array).map(
        (v, i) =>
          v -
          0.1 *
            (0.9 * ((firstBuffer[k] as Float32Array)[i] as number) + ((g2[k] as Float32Array)[i] as number) + 0.01 * v),
      );
      await expectClose(t, expected, { atol: 1e-6, rtol: 1e-5, what: `${k} after two steps` });
    }
    tf.dispose([result.state.params, result.state.slots, result.loss, second.state.params, second.state.slots]);
    tf.dispose([second.loss, b.x, b.y]);
  });

  it('the first Adam step moves each coordinate by lr·sign(g) (bias-corrected m̂/√v̂ = ±1)', async () => {
    const { before, g, result, b } = await oneStep(createAdam({ lr: 0.01, loss: 'hinge', epsilon: 1e-12 }));
    for (const [k, t] of Object.entries(result.state.params)) {
      const expected = (before[k] as Float32Array).map((v, i) => {
        const gi = (g[k] as Float32Array)[i] as number;
        return Math.abs(gi) < 1e-9 ? v : v - 0.01 * Math.sign(gi);
      });
      await expectClose(t, expected, { atol: 1e-5, rtol: 1e-4, what: k });
    }
    tf.dispose([result.state.params, result.state.slots, result.loss, b.x, b.y]);
  });

  it('createGradientTrainer refuses a spec without its source or transform, where every step failed on a property read', () => {
    expect(() => createGradientTrainer({ name: 'x' } as never)).toThrow(
      /^createGradientTrainer: expected \{ name, source, transform \} \(transform a chain such as chain\(scale\(-lr\)\)\), but got \{ name: "x" \}$/,
    );
  });

  it('a custom transformation may hand a slot back unchanged: the step keeps it, and frees nothing twice', async () => {
    // A slot that only some steps update (here: never) comes back as the very tensor it was given.
    const keepsSlot: GradientTransformation = {
      slots: ['seen'],
      update: ({ updates, slots }) => ({ updates: tf.mul(-0.1, updates), slots: { seen: slots['seen'] as tf.Tensor } }),
    };
    const trainer = createGradientTrainer({
      name: 'keeps-slot',
      source: gradientOf('hinge'),
      transform: keepsSlot,
      describe: () => ({ name: 'keeps-slot' }),
    });
    const m = model();
    let state = trainer.init(m, m.init(replicaRngs(2, R)));
    const before = tf.memory().numTensors;
    for (let seed = 1; seed <= 3; seed++) {
      const b = batch(seed);
      const { state: next, loss } = trainer.step(state, b);
      tf.dispose([loss, b.x, b.y]);
      state = next;
      for (const [k, t] of Object.entries(state.slots)) expect(t.isDisposed, `${k} after step ${seed}`).toBe(false);
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(Array.from(await (state.slots['w0.seen'] as tf.Tensor).data()).every((v) => v === 0)).toBe(true);
    trainer.dispose(state);
  });

  it('noisy GD: replica r of a run with seed s is the one-replica run with seed s + r, noise included', async () => {
    // A sweep packs seeds into replicas on this promise; the noise once came from one draw over (R, …).
    const m3 = model(3);
    const m1 = model(1);
    const b3 = batch(7, 3);
    const b1: Batch = { x: tf.slice(b3.x, [2], [1]), y: tf.slice(b3.y, [2], [1]) };
    const run = (m: typeof m3, seed: number, b: Batch) => {
      const trainer = createNoisyGd({ lr: 0.5, clip: 0.05, noise: 0.3, seed });
      let state = trainer.init(m, m.init(replicaRngs(seed, m.replicas)));
      for (let i = 0; i < 2; i++) {
        const next = trainer.step(state, b);
        trainer.dispose(state);
        next.loss.dispose();
        state = next.state;
      }
      return { trainer, state };
    };
    const [packed, alone] = [run(m3, 5, b3), run(m1, 7, b1)];
    for (const k of Object.keys(alone.state.params)) {
      const third = tf.slice(packed.state.params[k] as tf.Tensor, [2], [1]);
      await expectClose(third, alone.state.params[k] as tf.Tensor, { atol: 1e-6, rtol: 1e-5, what: k });
      third.dispose();
    }
    packed.trainer.dispose(packed.state);
    alone.trainer.dispose(alone.state);
    tf.dispose([b3.x, b3.y, b1.x, b1.y]);
  });

  it('noisy GD clips each gradient coordinate to [−A, A] and adds N(0, τ²) noise', async () => {
    const A = 0.01;
    const plain = await oneStep(createNoisyGd({ lr: 1, clip: A, noise: 0 }));
    for (const [k, t] of Object.entries(plain.result.state.params)) {
      const expected = (plain.before[k] as Float32Array).map(
        (v, i) => v - Math.min(A, Math.max(-A, (plain.g[k] as Float32Array)[i] as number)),
      );
      await expectClose(t, expected, { atol: 1e-6, rtol: 1e-5, what: k });
    }
    const noisy = await oneStep(createNoisyGd({ lr: 1, clip: A, noise: 0.5 }));
    const w0Plain = await (plain.result.state.params.w0 as tf.Tensor).data();
    const diff = Array.from(await (noisy.result.state.params.w0 as tf.Tensor).data()).map(
      (v, i) => v - (w0Plain[i] as number),
    );
    const mean = diff.reduce((s, v) => s + v, 0) / diff.length;
    const std = Math.sqrt(diff.reduce((s, v) => s + (v - mean) ** 2, 0) / diff.length);
    // Within 4 standard errors of N(0, 0.5²) over these n draws: mean ± 4·0.5/√n, sd ± 4·0.5/√(2n).
    const n = diff.length;
    expect(Math.abs(mean)).toBeLessThan((4 * 0.5) / Math.sqrt(n));
    expect(Math.abs(std - 0.5)).toBeLessThan((4 * 0.5) / Math.sqrt(2 * n));
    for (const s of [plain, noisy]) tf.dispose([s.result.state.params, s.result.loss, s.b.x, s.b.y]);
  });
});

describe('trainer config errors', () => {
  it('name the option and the expected range', () => {
    expect(() => createSgd({ lr: 0 })).toThrow('sgd.lr: expected a number > 0, but got 0');
    expect(() => createSgd({ momentum: 1 })).toThrow('sgd.momentum: expected a number in [0, 0.999], but got 1');
    expect(() => createNoisyGd({ clip: -1 })).toThrow('noisy-gd.clip: expected a number > 0, but got -1');
    // The noise seed: replica r draws from seed + r, which a string would concatenate.
    expect(() => createNoisyGd({ seed: '7' as never })).toThrow(
      'noisy-gd.seed must be an integer ≥ 0, but got "7" (a string)',
    );
    expect(() => createNoisyGd({ seed: 1.5 })).toThrow('noisy-gd.seed must be an integer ≥ 0, but got 1.5');
  });

  it('report every bad option at once', () => {
    expect(() => createAdam({ lr: -1, beta2: 1, loss: 'l1' as never })).toThrow(
      'adam.lr: expected a number > 0, but got -1; adam.beta2: expected a number in [0, 0.99999], but got 1; adam.loss: expected one of "hinge", "mse", "logistic", "correlation", but got "l1"',
    );
  });
});
