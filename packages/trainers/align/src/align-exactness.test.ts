/**
 * The exactness tests of issue #5 (docs/papers.md §4), on every backend: at θ = θ₀ the Align rules
 * and backprop make the same update; Align-zero's update is J₀ᵀe (by finite differences, after
 * θ has moved); Align-ada's readout update is the exact delta rule and its hidden updates differ
 * from backprop once θ has moved; θ₀ never changes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch, Model, Trainer, TrainerState } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { createSgd, lossAndGrads } from '@learnability/sgd';
import { describe, expect, it } from 'vitest';
import { cloneParams, dense, denseBatch, disposeBatch, read, rnn, rnnBatch } from '../test/helpers.js';
import { createAlignTrainer, ruleTensorsOf } from './align-trainer.js';
import type { AlignConfig } from './align-config.js';

const CASES: [string, () => Model, (seed: number) => Batch][] = [
  ['dense', dense, (s) => denseBatch(s)],
  ['rnn', rnn, (s) => rnnBatch(s)],
];
const ALIGN: AlignConfig[] = [
  { rule: 'align-zero' },
  { rule: 'align-ada', gate: 'current' },
  { rule: 'align-ada', gate: 'frozen' },
];
const TOL = { atol: 2e-5, rtol: 1e-4 };

/** Runs `count` steps on batches seeded 100, 101, …; returns the state. */
function train(trainer: Trainer, state: TrainerState, batchOf: (seed: number) => Batch, count: number): TrainerState {
  let s = state;
  for (let i = 0; i < count; i++) {
    const b = batchOf(100 + i);
    const r = trainer.step(s, b);
    r.loss.dispose();
    disposeBatch(b);
    s = r.state;
  }
  return s;
}

/** θ_before − θ_after of one step with lr = 1: the update itself. */
async function oneUpdate(
  trainer: Trainer,
  state: TrainerState,
  batch: Batch,
): Promise<{ update: Record<string, Float32Array>; state: TrainerState }> {
  const before = await read(state.params);
  const r = trainer.step(state, batch);
  r.loss.dispose();
  const after = await read(r.state.params);
  const update: Record<string, Float32Array> = {};
  for (const k of Object.keys(before))
    update[k] = (before[k] as Float32Array).map((v, i) => v - ((after[k] as Float32Array)[i] as number));
  return { update, state: r.state };
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const relDiff = (a: Float32Array, b: Float32Array) => norm(a.map((v, i) => v - (b[i] as number))) / norm(b);

describeEachBackend('align rules: exactness', () => {
  for (const [title, makeModel, batchOf] of CASES) {
    describe(title, () => {
      it('at θ = θ₀, Align-zero, Align-ada (both gates) and backprop make the tf.grad SGD update', async () => {
        const model = makeModel();
        const params = model.init(replicaRngs(3, model.replicas));
        const batch = batchOf(1);
        const sgd = createSgd({ lr: 0.5, loss: 'mse' });
        const ref = sgd.step(sgd.init(model, cloneParams(params)), batch);
        for (const config of [{ rule: 'backprop' } as AlignConfig, ...ALIGN]) {
          const trainer = createAlignTrainer({ ...config, lr: 0.5 });
          const before = tf.memory().numTensors;
          const out = trainer.step(trainer.init(model, cloneParams(params)), batch);
          for (const [k, t] of Object.entries(out.state.params))
            await expectClose(t, ref.state.params[k] as tf.Tensor, { ...TOL, what: `${trainer.name} ${k}` });
          await expectClose(out.loss, ref.loss, { ...TOL, what: `${trainer.name} loss` });
          out.loss.dispose();
          trainer.dispose(out.state);
          expect(tf.memory().numTensors, `${trainer.name} leaks`).toBe(before);
        }
        sgd.dispose(ref.state);
        tf.dispose([params, ref.loss]);
        disposeBatch(batch);
      });

      it("after training, Align-zero's update is J₀ᵀe, J₀ by finite differences; backprop's is not", async () => {
        const model = makeModel();
        const theta0 = model.init(replicaRngs(5, model.replicas));
        const zero = createAlignTrainer({ rule: 'align-zero', lr: 1 });
        let state = train(zero, zero.init(model, cloneParams(theta0)), batchOf, 4);
        const batch = batchOf(7);
        // e = ∂L/∂f of the current network, 2(f_t − y)/(B·outputs).
        const f = model.apply(state.params, batch.x);
        const e = (await tf
          .tidy(() => tf.mul(tf.sub(f, batch.y), 2 / (f.size / model.replicas)))
          .data()) as Float32Array;
        const backprop = lossAndGrads(model, state.params, batch, 'mse');
        const bpGrads = await read(backprop.grads);
        const step = await oneUpdate(zero, state, batch);
        state = step.state;
        const rng = createRng(17);
        const h = 1e-3;
        for (const name of Object.keys(theta0)) {
          // A random direction v in this tensor: ⟨J₀ᵀe, v⟩ = Σ e · (f(θ₀ + hv) − f(θ₀ − hv)) / 2h, per replica.
          const t0 = theta0[name] as tf.Tensor;
          const v = new Float32Array(t0.size);
          rng.normals(v);
          const shifted = (sign: number) =>
            tf.tidy(() =>
              model.apply({ ...theta0, [name]: tf.add(t0, tf.mul(tf.tensor(v, t0.shape), sign * h)) }, batch.x),
            );
          const [up, down] = [shifted(1), shifted(-1)];
          const [u, d] = [(await up.data()) as Float32Array, (await down.data()) as Float32Array];
          tf.dispose([up, down]);
          const per = t0.size / model.replicas;
          const rowsPer = e.length / model.replicas;
          for (let r = 0; r < model.replicas; r++) {
            let fd = 0;
            for (let i = r * rowsPer; i < (r + 1) * rowsPer; i++)
              fd += (e[i] as number) * (((u[i] as number) - (d[i] as number)) / (2 * h));
            let dot = 0;
            let bpDot = 0;
            for (let i = r * per; i < (r + 1) * per; i++) {
              dot += ((step.update[name] as Float32Array)[i] as number) * (v[i] as number);
              bpDot += ((bpGrads[name] as Float32Array)[i] as number) * (v[i] as number);
            }
            expect(Math.abs(dot - fd), `${name} replica ${r}: ⟨update, v⟩ ${dot} vs FD ${fd}`).toBeLessThan(
              2e-3 + 1e-2 * Math.abs(fd),
            );
            if (name.startsWith('w'))
              expect(
                Math.abs(bpDot - fd),
                `${name} replica ${r}: backprop should differ from J₀ᵀe once θ moved`,
              ).toBeGreaterThan(2e-3 + 1e-2 * Math.abs(fd));
          }
        }
        zero.dispose(state);
        tf.dispose([theta0, f, backprop.loss, backprop.grads]);
        disposeBatch(batch);
      });

      for (const gate of ['current', 'frozen'] as const) {
        it(`after training, Align-ada (${gate})'s readout update is the delta rule, its hidden updates differ from backprop, θ₀ is unchanged`, async () => {
          const model = makeModel();
          const theta0 = model.init(replicaRngs(8, model.replicas));
          const ada = createAlignTrainer({ rule: 'align-ada', gate, lr: 1 });
          let state = train(ada, ada.init(model, cloneParams(theta0)), batchOf, 5);
          const batch = batchOf(9);
          const exact = lossAndGrads(model, state.params, batch, 'mse');
          const grads = await read(exact.grads);
          const step = await oneUpdate(ada, state, batch);
          state = step.state;
          const readout = title === 'dense' ? ['w2', 'b2'] : ['who', 'bo'];
          for (const k of readout)
            await expectClose(step.update[k] as Float32Array, grads[k] as Float32Array, {
              atol: 1e-5,
              rtol: 1e-3,
              what: `readout ${k}`,
            });
          const hidden = title === 'dense' ? ['w0', 'w1'] : ['wih', 'whh'];
          for (const k of hidden)
            expect(
              relDiff(step.update[k] as Float32Array, grads[k] as Float32Array),
              `${k} vs backprop`,
            ).toBeGreaterThan(0.02);
          for (const [k, t] of Object.entries(theta0))
            await expectClose(ruleTensorsOf(state.slots).initial[k] as tf.Tensor, t, {
              atol: 0,
              rtol: 0,
              what: `θ₀ ${k}`,
            });
          ada.dispose(state);
          tf.dispose([theta0, exact.loss, exact.grads]);
          disposeBatch(batch);
        });
      }
    });
  }
});
