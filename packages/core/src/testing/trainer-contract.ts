import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { replicaRngs } from '../rng.js';
import type { Batch, Model, Trainer, TrainerState } from '../contracts.js';
import { expectClose, values } from './tensor-close.js';

export interface TrainerContractCase {
  trainer: Trainer;
  model: Model;
  /** A batch with replicas: x (R, B, ...), y (R, B, out). */
  batch(seed: number): Batch;
}

function steps(trainer: Trainer, state: TrainerState, batch: Batch, count: number): TrainerState {
  let s = state;
  for (let i = 0; i < count; i++) {
    const r = trainer.step(s, batch);
    r.loss.dispose();
    s = r.state;
  }
  return s;
}

/** The contract every `Trainer` must meet. Runs on the current TF.js backend. */
export function describeTrainerContract(title: string, make: () => TrainerContractCase): void {
  describe(`Trainer contract: ${title}`, () => {
    it('a step returns a finite (R,) loss, keeps parameter shapes, and leaks no tensor', async () => {
      const { trainer, model, batch } = make();
      const b = batch(1);
      // One warm-up step: kernels may cache constants on first use.
      let state = steps(trainer, trainer.init(model, model.init(replicaRngs(11, model.replicas))), b, 1);
      const shapes = Object.fromEntries(Object.entries(state.params).map(([k, t]) => [k, t.shape]));
      const before = tf.memory().numTensors;
      const result = trainer.step(state, b);
      state = result.state;
      expect(result.loss.shape).toEqual([model.replicas]);
      expect(Array.from(await values(result.loss)).every(Number.isFinite)).toBe(true);
      result.loss.dispose();
      expect(tf.memory().numTensors, 'tensors after a step').toBe(before);
      expect(state.step).toBe(2);
      for (const [k, t] of Object.entries(state.params)) expect(t.shape, k).toEqual(shapes[k]);
      trainer.dispose(state);
      tf.dispose([b.x, b.y]);
    });

    it('steps are deterministic and change the parameters', async () => {
      const { trainer, model, batch } = make();
      const b = batch(2);
      const s1 = steps(trainer, trainer.init(model, model.init(replicaRngs(5, model.replicas))), b, 3);
      const s2 = steps(trainer, trainer.init(model, model.init(replicaRngs(5, model.replicas))), b, 3);
      const init = model.init(replicaRngs(5, model.replicas));
      let moved = false;
      for (const k of Object.keys(s1.params)) {
        await expectClose(s1.params[k] as tf.Tensor, s2.params[k] as tf.Tensor, { atol: 1e-6, rtol: 1e-5, what: `params.${k} across reruns` });
        const a = Array.from(await values(s1.params[k] as tf.Tensor));
        const a0 = Array.from(await values(init[k] as tf.Tensor));
        moved ||= a.some((v, i) => v !== a0[i]);
      }
      expect(moved, 'some parameter changed').toBe(true);
      trainer.dispose(s1);
      trainer.dispose(s2);
      tf.dispose([init, b.x, b.y]);
    });

    it("replicas train independently: another replica's batch does not change replica 0", async () => {
      const { trainer, model, batch } = make();
      if (model.replicas < 2) return;
      const b1 = batch(3);
      const b2 = batch(4);
      // Same replica-0 data, different data for the other replicas.
      const mixed: Batch = tf.tidy(() => ({
        x: tf.concat([tf.slice(b1.x, [0], [1]), tf.slice(b2.x, [1], [model.replicas - 1])], 0),
        y: tf.concat([tf.slice(b1.y, [0], [1]), tf.slice(b2.y, [1], [model.replicas - 1])], 0),
      }));
      const sa = steps(trainer, trainer.init(model, model.init(replicaRngs(9, model.replicas))), b1, 2);
      const sb = steps(trainer, trainer.init(model, model.init(replicaRngs(9, model.replicas))), mixed, 2);
      for (const k of Object.keys(sa.params)) {
        const [a0, b0] = [tf.slice(sa.params[k] as tf.Tensor, [0], [1]), tf.slice(sb.params[k] as tf.Tensor, [0], [1])];
        await expectClose(b0, a0, { atol: 1e-6, rtol: 1e-5, what: `replica 0 params.${k}` });
        tf.dispose([a0, b0]);
      }
      trainer.dispose(sa);
      trainer.dispose(sb);
      tf.dispose([b1.x, b1.y, b2.x, b2.y, mixed.x, mixed.y]);
    });
  });
}
