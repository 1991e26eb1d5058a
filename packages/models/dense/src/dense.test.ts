import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { describeModelContract, expectClose, expectReplicaIsSeed } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { refForward, refLayersFromParams, refLossAndGrads } from '../test/reference-mlp.js';
import type { RefLayer } from '../test/reference-mlp.js';
import { createDense } from './dense.js';

const signs = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).signs(v);
  return tf.tensor(v, shape);
};

async function paramData(params: Record<string, tf.Tensor>) {
  const out: Record<string, { values: Float32Array; shape: number[] }> = {};
  for (const [k, t] of Object.entries(params)) out[k] = { values: (await t.data()) as Float32Array, shape: t.shape };
  return out;
}

describe('finite differences on the plain-JS reference (float64)', () => {
  it('refLossAndGrads matches central differences', () => {
    const rng = createRng(1);
    const mk = (fanIn: number, fanOut: number): RefLayer => ({
      w: Float64Array.from({ length: fanIn * fanOut }, () => rng.normal() / Math.sqrt(fanIn)),
      b: Float64Array.from({ length: fanOut }, () => 0.1 * rng.normal()),
      fanIn,
      fanOut,
    });
    const layers = [mk(4, 6), mk(6, 5), mk(5, 1)];
    const x = [
      [1, -1, 1, 1],
      [-1, -1, 1, -1],
      [1, 1, -1, 1],
    ];
    const y = [[1], [-1], [0.5]];
    for (const [kind, ntk] of [
      ['tanh', false],
      ['tanh', true],
      ['relu', true],
    ] as const) {
      const { grads } = refLossAndGrads(layers, x, y, kind, ntk, 'mse');
      const h = 1e-6;
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l] as RefLayer;
        for (const [which, values] of [
          ['w', layer.w],
          ['b', layer.b],
        ] as const) {
          for (const i of new Set([0, 3 % values.length, values.length - 1])) {
            const v0 = values[i] as number;
            values[i] = v0 + h;
            const up = refLossAndGrads(layers, x, y, kind, ntk, 'mse').value;
            values[i] = v0 - h;
            const down = refLossAndGrads(layers, x, y, kind, ntk, 'mse').value;
            values[i] = v0;
            expect(grads[l]?.[which][i], `${kind} ${ntk} ∂${which}${l}[${i}]`).toBeCloseTo((up - down) / (2 * h), 6);
          }
        }
      }
    }
  });
});

describeEachBackend('dense MLP', () => {
  describeModelContract('dense relu, 3 replicas', () => {
    const model = createDense({ inputSize: 6, widths: [8, 5], outputSize: 2, replicas: 3, bias: 'fan-in' });
    return { model, input: (b, seed) => signs([3, b, 6], seed) };
  });

  describeModelContract('dense gelu ntk, 2 replicas', () => {
    const model = createDense({
      inputSize: 5,
      widths: [7],
      activation: 'gelu',
      parameterization: 'ntk',
      replicas: 2,
      bias: 'unit',
    });
    return { model, input: (b, seed) => signs([2, b, 5], seed) };
  });

  for (const parameterization of ['standard', 'ntk'] as const) {
    it(`forward pass and gradients equal the plain-JS reference (${parameterization})`, async () => {
      const model = createDense({
        inputSize: 5,
        widths: [9, 4],
        outputSize: 1,
        replicas: 2,
        parameterization,
        bias: 'fan-in',
      });
      const params = model.init(replicaRngs(3, 2));
      const x = signs([2, 6, 5], 4);
      const y = signs([2, 6, 1], 5);
      const data = await paramData(params);
      const xs = (await x.array()) as number[][][];
      const ys = (await y.array()) as number[][][];
      const out = model.apply(params, x);
      const names = Object.keys(params);
      const lossFn = (...ts: tf.Tensor[]) => {
        const p = Object.fromEntries(names.map((n, i) => [n, ts[i] as tf.Tensor]));
        return tf.sum(tf.mean(tf.reshape(tf.square(tf.sub(model.apply(p, x), y)), [2, -1]), 1));
      };
      const { grads } = tf.valueAndGrads(lossFn)(names.map((n) => params[n] as tf.Tensor));
      const outValues = await out.data();
      for (let r = 0; r < 2; r++) {
        const layers = refLayersFromParams(data, r);
        const ref = refForward(layers, xs[r] as number[][], 'relu', parameterization === 'ntk');
        const refOut = (ref.activations[layers.length] as Float64Array[]).map((v) => v[0] as number);
        await expectClose(outValues.subarray(r * 6, (r + 1) * 6), refOut, {
          atol: 1e-5,
          rtol: 1e-4,
          what: `replica ${r} outputs`,
        });
        const refGrads = refLossAndGrads(
          layers,
          xs[r] as number[][],
          ys[r] as number[][],
          'relu',
          parameterization === 'ntk',
          'mse',
        ).grads;
        for (let l = 0; l < layers.length; l++) {
          for (const which of ['w', 'b'] as const) {
            const g = grads[names.indexOf(`${which}${l}`)] as tf.Tensor;
            const size = (layers[l] as RefLayer)[which].length;
            await expectClose((await g.data()).subarray(r * size, (r + 1) * size), refGrads[l]?.[which] ?? [], {
              atol: 1e-5,
              rtol: 1e-3,
              what: `replica ${r} ∂${which}${l}`,
            });
          }
        }
      }
      tf.dispose([params, x, y, out, grads]);
    });
  }

  it('NTK and standard parameterisations compute the same function at init from the same seed', async () => {
    const std = createDense({ inputSize: 4, widths: [16], replicas: 1 });
    const ntk = createDense({ inputSize: 4, widths: [16], replicas: 1, parameterization: 'ntk' });
    const x = signs([1, 3, 4], 2);
    const ps = std.init(replicaRngs(1, 1));
    const pn = ntk.init(replicaRngs(1, 1));
    const [a, b] = [std.apply(ps, x), ntk.apply(pn, x)];
    await expectClose(a, b, { atol: 1e-5, rtol: 1e-4, what: 'outputs' });
    tf.dispose([x, ps, pn, a, b]);
  });

  describe('dense initialisations', () => {
    /** Mean, variance, min and max of a tensor's values. */
    const moments = async (t: tf.Tensor) => {
      const v = (await t.data()) as Float32Array;
      let sum = 0;
      for (const x of v) sum += x;
      const mean = sum / v.length;
      let ss = 0;
      for (const x of v) ss += (x - mean) ** 2;
      return { mean, variance: ss / v.length, min: Math.min(...v), max: Math.max(...v), count: v.length };
    };

    it("torch-linear draws weights and biases U(±1/√fan_in), as PyTorch's nn.Linear", async () => {
      const model = createDense({ inputSize: 50, widths: [1000], replicas: 2, init: 'torch-linear' });
      const params = model.init(replicaRngs(3, 2));
      const bound0 = 1 / Math.sqrt(50);
      for (const name of ['w0', 'b0']) {
        const m = await moments(params[name] as tf.Tensor);
        // U(−a, a): mean 0, variance a²/3; the sample mean has standard error a/√(3N).
        expect(Math.abs(m.mean)).toBeLessThan((4 * bound0) / Math.sqrt(3 * m.count));
        expect(m.variance).toBeCloseTo(bound0 ** 2 / 3, name === 'w0' ? 4 : 3);
        expect(m.min).toBeGreaterThanOrEqual(-bound0);
        expect(m.max).toBeLessThanOrEqual(bound0);
        // Fills the range: with N ≥ 2,000 draws the extremes lie within 1 % of the bounds.
        expect(m.min).toBeLessThan(-0.99 * bound0);
        expect(m.max).toBeGreaterThan(0.99 * bound0);
      }
      const bound1 = 1 / Math.sqrt(1000);
      const w1 = await moments(params.w1 as tf.Tensor);
      expect(w1.min).toBeGreaterThanOrEqual(-bound1);
      expect(w1.max).toBeLessThanOrEqual(bound1);
      expect(w1.variance).toBeCloseTo(bound1 ** 2 / 3, 4);
      const b1 = await moments(params.b1 as tf.Tensor);
      expect(b1.min).toBeGreaterThanOrEqual(-bound1);
      expect(b1.max).toBeLessThanOrEqual(bound1);
      expect(b1.max - b1.min).toBeGreaterThan(0); // biases are drawn, not zero
      tf.dispose(params);
    });

    it('gaussian (the default) draws weights N(0, 1/fan_in) and zero biases', async () => {
      const model = createDense({ inputSize: 50, widths: [1000], replicas: 2 });
      expect(model.config.init).toBe('gaussian');
      const params = model.init(replicaRngs(3, 2));
      // Each layer's variance × its fan-in is 1 within 3.5 standard errors of a sample variance
      // (√(2/count): 1.6 % for w0's 100,000 weights, 11 % for w1's 2,000): a fan-in off by one in
      // w0 (2 %) or the wrong layer's fan-in in w1 fails.
      for (const [name, fanIn] of [
        ['w0', 50],
        ['w1', 1000],
      ] as const) {
        const m = await moments(params[name] as tf.Tensor);
        expect(Math.abs(m.mean), name).toBeLessThan(4 / Math.sqrt(fanIn * m.count));
        expect(Math.abs(m.variance * fanIn - 1), name).toBeLessThan(3.5 * Math.sqrt(2 / m.count));
      }
      const w0 = await moments(params.w0 as tf.Tensor);
      expect(w0.max).toBeGreaterThan(3 / Math.sqrt(50)); // unbounded tails, unlike the uniform
      for (const name of ['b0', 'b1'])
        expect(await moments(params[name] as tf.Tensor)).toMatchObject({ min: 0, max: 0 });
      tf.dispose(params);
    });

    it('torch-linear refuses the NTK parameterisation and a gaussian bias option', () => {
      expect(() => createDense({ inputSize: 3, init: 'torch-linear', parameterization: 'ntk' })).toThrow(
        'dense.init: "torch-linear" needs parameterization "standard"',
      );
      expect(() => createDense({ inputSize: 3, init: 'torch-linear', bias: 'unit' })).toThrow(
        'dense.bias: "unit" applies to init "gaussian" only',
      );
    });
  });
});

describeEachBackend('dense MLP on parameters of another config', () => {
  it('refuses them, naming the parameter and both shapes, where they would broadcast or run silently', () => {
    // One replica's params on a 2-replica model would broadcast: both replicas replica 0's.
    const two = createDense({ inputSize: 4, widths: [8], replicas: 2 });
    const one = createDense({ inputSize: 4, widths: [8] }).init(replicaRngs(0, 1));
    const wider = createDense({ inputSize: 4, widths: [16], replicas: 2 }).init(replicaRngs(0, 2));
    const x = tf.ones([2, 3, 4]);
    const before = tf.memory().numTensors;
    expect(() => two.apply(one, x)).toThrow(
      'dense: params.w0 must have shape [2, 4, 8], but got [1, 4, 8]; use params from init of a model of this config',
    );
    expect(() => two.apply(wider, x)).toThrow('dense: params.w0 must have shape [2, 4, 8], but got [2, 4, 16]');
    // Freed parameters (a state a trainer's step has consumed) are named as such, not a TypeError inside TF.js.
    const freed = createDense({ inputSize: 4, widths: [8] });
    const stale = freed.init(replicaRngs(0, 1));
    tf.dispose(Object.values(stale));
    const x1 = tf.ones([1, 3, 4]);
    expect(() => freed.apply(stale, x1)).toThrow(
      "dense: params.w0 was disposed (a trainer's step consumes the state it is given); use the params of the state it returned",
    );
    x1.dispose();
    // A later layer's parameter refused: applyLayers has made no trace of the first yet.
    const deep = createDense({ inputSize: 4, widths: [8, 8], replicas: 2 });
    const mixed = { ...deep.init(replicaRngs(0, 2)) };
    const w1 = mixed.w1 as tf.Tensor;
    mixed.w1 = tf.ones([2, 8, 5]);
    const traced = tf.memory().numTensors;
    expect(() => deep.applyLayers(mixed, x)).toThrow('dense: params.w1 must have shape [2, 8, 8], but got [2, 8, 5]');
    expect(tf.memory().numTensors).toBe(traced);
    tf.dispose([Object.values(mixed), w1]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, Object.values(one), Object.values(wider)]);
  });
});

describe('createDense config errors', () => {
  it('names the option and what was expected', () => {
    expect(() => createDense({ inputSize: 0 })).toThrow('dense.inputSize must be an integer ≥ 1, but got 0');
    // Called from plain JS with no config: a message, not a TypeError on a property read.
    expect(() => (createDense as (c?: unknown) => unknown)()).toThrow(
      'dense: expected a config object, e.g. { inputSize: 50, widths: [1000] }, but got none',
    );
    // Every schema problem at once, as validateConfig reports them (with the part's name for a path).
    expect(() => createDense({ inputSize: 3, widths: [], degree: 13 })).toThrow(
      'dense.widths: expected a non-empty list of integers ≥ 1, e.g. [1000], but got []; dense.degree: expected an integer in [1, 12], but got 13',
    );
    expect(() => createDense({ inputSize: 3, widths: [4, 2.5] })).toThrow('dense.widths: expected a non-empty list');
  });

  it('replica r equals a one-replica model with seed + r, every parameter', async () => {
    const config = { inputSize: 3, widths: [4], bias: 'fan-in' as const };
    await expectReplicaIsSeed(createDense({ ...config, replicas: 3 }), createDense(config), 10, 2);
  });
});

describe('dense init', () => {
  it('refuses what is not one generator per replica, in one line that names the fix', () => {
    const model = createDense({ inputSize: 4, widths: [8], replicas: 2 });
    const fix =
      'dense.init: expected 2 generators (one per replica: replicaRngs(seed, 2) from @learnability/core), but got';
    expect(() => model.init([1, 2] as never)).toThrow(`${fix} a list of 1, 2`);
    expect(() => model.init(createRng(0) as never)).toThrow(`${fix} one generator, not a list`);
    expect(() => model.init(replicaRngs(0, 1))).toThrow(`${fix} 1`);
    expect(() => model.init(7 as never)).toThrow(`${fix} 7`);
    // And apply without params names them, where a TypeError came from inside.
    const x = tf.ones([2, 3, 4]);
    expect(() => model.apply(undefined as never, x)).toThrow(
      'dense: params must be the tensors that init(rngs) returns, but got undefined',
    );
    x.dispose();
  });
});
