import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { replicaRngs } from '../rng.js';
import type { Model } from '../contracts.js';
import { expectClose, values } from './tensor-close.js';

/** A model under test and a way to feed it. Use replicas ≥ 2 so independence is checked. */
export interface ModelContractCase {
  model: Model;
  /** Makes an input x (R, B, ...inputShape) for the model. */
  input(batch: number, seed: number): tf.Tensor;
  /** Tolerance for comparing two ways of computing the same output. */
  atol?: number;
}

const anyDiffers = async (a: tf.Tensor, b: tf.Tensor) => {
  const t = tf.any(tf.notEqual(a, b));
  const v = (await values(t))[0];
  t.dispose();
  return v === 1;
};

/** The contract every `Model` must meet. Runs on the current TF.js backend. */
export function describeModelContract(title: string, make: () => ModelContractCase): void {
  describe(`Model contract: ${title}`, () => {
    it('init is deterministic in the seed, gives every tensor a leading replica axis, and matches paramCount', async () => {
      const { model } = make();
      const a = model.init(replicaRngs(7, model.replicas));
      const b = model.init(replicaRngs(7, model.replicas));
      const c = model.init(replicaRngs(8, model.replicas));
      let total = 0;
      let differs = false;
      for (const [name, t] of Object.entries(a)) {
        expect(t.shape[0], `${name} leading axis`).toBe(model.replicas);
        await expectClose(t, b[name] as tf.Tensor, { atol: 0, rtol: 0, what: `init(${name}) for equal seeds` });
        differs ||= await anyDiffers(t, c[name] as tf.Tensor);
        total += t.size;
      }
      expect(total / model.replicas).toBe(model.paramCount);
      expect(differs, 'different seeds give different parameters').toBe(true);
      tf.dispose([a, b, c]);
    });

    it('apply gives (R, B, outputSize) finite outputs, equal to applyLayers, without leaking tensors', async () => {
      const { model, input, atol = 1e-5 } = make();
      const params = model.init(replicaRngs(1, model.replicas));
      const x = input(5, 2);
      const before = tf.memory().numTensors;
      const y = model.apply(params, x);
      const trace = model.applyLayers(params, x);
      expect(y.shape).toEqual([model.replicas, 5, model.outputSize]);
      expect(Array.from(await values(y)).every(Number.isFinite)).toBe(true);
      await expectClose(trace.output, y, { atol, rtol: 1e-4, what: 'applyLayers output vs apply' });
      for (const layer of trace.layers) {
        expect(layer.input.shape.slice(0, 2)).toEqual([model.replicas, 5]);
        expect(layer.preActivation.shape.slice(0, 2)).toEqual([model.replicas, 5]);
      }
      tf.dispose([y, trace.output, ...trace.layers.flatMap((l) => [l.input, l.preActivation, l.output])]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([params, x]);
    });

    it('replicas are independent: changing replica 0 input changes its output and leaves other replicas unchanged', async () => {
      const { model, input } = make();
      // With one replica there is nothing to compare: a contract run that cannot check this fails.
      expect(model.replicas, 'the model contract needs a model of ≥ 2 replicas').toBeGreaterThanOrEqual(2);
      const params = model.init(replicaRngs(3, model.replicas));
      const x = input(4, 5);
      const other = input(4, 6);
      // Replica 0 gets another draw of inputs; the rest keep theirs.
      const x2 = tf.tidy(() => tf.concat([tf.slice(other, [0], [1]), tf.slice(x, [1], [model.replicas - 1])], 0));
      const [y, y2] = [model.apply(params, x), model.apply(params, x2)];
      const rest = (t: tf.Tensor) => tf.slice(t, [1], [model.replicas - 1]);
      const [r1, r2] = [rest(y2), rest(y)];
      await expectClose(r1, r2, { atol: 0, rtol: 0, what: 'replicas 1.. outputs' });
      // The control: replica 0's own output did move, so the comparison above could have failed.
      const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(y, [0], [1]), tf.slice(y2, [0], [1])))));
      expect(((await moved.data()) as Float32Array)[0], "replica 0's output after its input changed").toBeGreaterThan(
        0,
      );
      tf.dispose([params, x, other, x2, y, y2, r1, r2, moved]);
    });

    it('apply and applyLayers refuse a parameter missing or of another shape, naming it, and leak nothing', () => {
      const { model, input } = make();
      const params = model.init(replicaRngs(4, model.replicas));
      const x = input(3, 7);
      const names = Object.keys(params);
      // The first and the last parameter: one of another config (a wider last axis), then none at all.
      for (const name of [names[0], names.at(-1)] as string[]) {
        const own = params[name] as tf.Tensor;
        const wider = tf.zeros([...own.shape.slice(0, -1), (own.shape.at(-1) as number) + 1]);
        const { [name]: _, ...without } = params;
        const before = tf.memory().numTensors;
        for (const given of [{ ...params, [name]: wider }, without]) {
          expect(() => model.apply(given, x), `apply, ${name}`).toThrow(name);
          expect(() => model.applyLayers(given, x), `applyLayers, ${name}`).toThrow(name);
        }
        expect(tf.memory().numTensors, `tensors left by the refusals of ${name}`).toBe(before);
        wider.dispose();
      }
      tf.dispose([params, x]);
    });

    it('apply refuses an input that is no tensor (a plain array), in one line naming the shape it takes', async () => {
      const { model, input } = make();
      const params = model.init(replicaRngs(4, model.replicas));
      const x = input(2, 5);
      const plain = (await x.array()) as unknown as tf.Tensor;
      expect(() => model.apply(params, plain)).toThrow(
        /input must have shape .*, but got no tensor \(make one with tf\.tensor first\)$/,
      );
      tf.dispose([params, x]);
    });
  });
}
