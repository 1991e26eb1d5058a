import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import type { Batch, Model, Trainer } from '../contracts.js';
import { expectClose } from './tensor-close.js';

export interface TrainerContractCase {
  trainer: Trainer;
  model: Model;
  /** A batch with replicas: x (R, B, ...), y (R, B, out). */
  batch(seed: number): Batch;
}

/** The contract every `Trainer` must meet. Runs on the current TF.js backend. */
export function describeTrainerContract(title: string, make: () => TrainerContractCase): void {
  describe(`Trainer contract: ${title}`, () => {
    it('a step returns a finite (R,) loss, keeps parameter shapes, and leaks no tensor', () => {
      const { trainer, model, batch } = make();
      let state = trainer.init(model, model.init(createRng(11)));
      const shapes = Object.fromEntries(Object.entries(state.params).map(([k, t]) => [k, t.shape]));
      const b = batch(1);
      // Warm-up step: kernels may cache constants on first use.
      let result = trainer.step(state, b);
      state = result.state;
      result.loss.dispose();
      const before = tf.memory().numTensors;
      result = trainer.step(state, b);
      state = result.state;
      expect(result.loss.shape).toEqual([model.replicas]);
      expect(Array.from(result.loss.dataSync()).every(Number.isFinite)).toBe(true);
      result.loss.dispose();
      expect(tf.memory().numTensors, 'tensors after a step').toBe(before);
      expect(state.step).toBe(2);
      for (const [k, t] of Object.entries(state.params)) expect(t.shape, k).toEqual(shapes[k]);
      trainer.dispose(state);
      tf.dispose([b.x, b.y]);
    });

    it('steps are deterministic and change the parameters', () => {
      const { trainer, model, batch } = make();
      const run = () => {
        let state = trainer.init(model, model.init(createRng(5)));
        const b = batch(2);
        for (let i = 0; i < 3; i++) {
          const r = trainer.step(state, b);
          r.loss.dispose();
          state = r.state;
        }
        tf.dispose([b.x, b.y]);
        return state;
      };
      const s1 = run();
      const s2 = run();
      const init = model.init(createRng(5));
      let moved = false;
      for (const k of Object.keys(s1.params)) {
        expectClose(s1.params[k] as tf.Tensor, s2.params[k] as tf.Tensor, { atol: 1e-6, rtol: 1e-5, what: `params.${k} across reruns` });
        moved ||= tf.tidy(() => tf.any(tf.notEqual(s1.params[k] as tf.Tensor, init[k] as tf.Tensor)).dataSync()[0] === 1);
      }
      expect(moved, 'some parameter changed').toBe(true);
      trainer.dispose(s1);
      trainer.dispose(s2);
      tf.dispose(init);
    });

    it('replicas train independently: another replica\'s batch does not change replica 0', () => {
      const { trainer, model, batch } = make();
      if (model.replicas < 2) return;
      const b1 = batch(3);
      const b2 = batch(4);
      // Same replica-0 data, different data for the other replicas.
      const mixed: Batch = tf.tidy(() => ({
        x: tf.concat([tf.slice(b1.x, [0], [1]), tf.slice(b2.x, [1], [model.replicas - 1])], 0),
        y: tf.concat([tf.slice(b1.y, [0], [1]), tf.slice(b2.y, [1], [model.replicas - 1])], 0),
      }));
      const after = (b: Batch) => {
        const r = trainer.step(trainer.init(model, model.init(createRng(9))), b);
        r.loss.dispose();
        return r.state;
      };
      const sa = after(b1);
      const sb = after(mixed);
      for (const k of Object.keys(sa.params)) {
        tf.tidy(() =>
          expectClose(tf.slice(sb.params[k] as tf.Tensor, [0], [1]), tf.slice(sa.params[k] as tf.Tensor, [0], [1]), {
            atol: 1e-6,
            rtol: 1e-5,
            what: `replica 0 params.${k}`,
          }),
        );
      }
      trainer.dispose(sa);
      trainer.dispose(sb);
      tf.dispose([b1.x, b1.y, b2.x, b2.y, mixed.x, mixed.y]);
    });
  });
}
