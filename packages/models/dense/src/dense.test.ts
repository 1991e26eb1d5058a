import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { describeModelContract, expectClose } from '@learnability/core/testing';
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
    const x = [[1, -1, 1, 1], [-1, -1, 1, -1], [1, 1, -1, 1]];
    const y = [[1], [-1], [0.5]];
    for (const [kind, ntk] of [['tanh', false], ['tanh', true], ['relu', true]] as const) {
      const { grads } = refLossAndGrads(layers, x, y, kind, ntk, 'mse');
      const h = 1e-6;
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l] as RefLayer;
        for (const i of [0, 3, layer.w.length - 1]) {
          const w0 = layer.w[i] as number;
          layer.w[i] = w0 + h;
          const up = refLossAndGrads(layers, x, y, kind, ntk, 'mse').value;
          layer.w[i] = w0 - h;
          const down = refLossAndGrads(layers, x, y, kind, ntk, 'mse').value;
          layer.w[i] = w0;
          expect(grads[l]?.w[i]).toBeCloseTo((up - down) / (2 * h), 6);
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
    const model = createDense({ inputSize: 5, widths: [7], activation: 'gelu', parameterization: 'ntk', replicas: 2, bias: 'unit' });
    return { model, input: (b, seed) => signs([2, b, 5], seed) };
  });

  for (const parameterization of ['standard', 'ntk'] as const) {
    it(`forward pass and gradients equal the plain-JS reference (${parameterization})`, async () => {
      const model = createDense({ inputSize: 5, widths: [9, 4], outputSize: 1, replicas: 2, parameterization, bias: 'fan-in' });
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
        await expectClose(outValues.subarray(r * 6, (r + 1) * 6), refOut, { atol: 1e-5, rtol: 1e-4, what: `replica ${r} outputs` });
        const refGrads = refLossAndGrads(layers, xs[r] as number[][], ys[r] as number[][], 'relu', parameterization === 'ntk', 'mse').grads;
        for (let l = 0; l < layers.length; l++) {
          const gw = grads[names.indexOf(`w${l}`)] as tf.Tensor;
          const size = (layers[l] as RefLayer).w.length;
          await expectClose((await gw.data()).subarray(r * size, (r + 1) * size), refGrads[l]?.w ?? [], { atol: 1e-5, rtol: 1e-3, what: `replica ${r} ∂w${l}` });
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
});

describe('createDense config errors', () => {
  it('names the option and what was expected', () => {
    expect(() => createDense({ inputSize: 0 })).toThrow('dense.inputSize must be an integer in [1,');
    expect(() => createDense({ inputSize: 3, widths: [] })).toThrow('dense.widths must list at least one hidden width');
    expect(() => createDense({ inputSize: 3, widths: [4, 2.5] })).toThrow('dense.widths[1] must be an integer');
  });

  it('replica r equals a one-replica model with seed + r', async () => {
    const big = createDense({ inputSize: 3, widths: [4], replicas: 3 });
    const one = createDense({ inputSize: 3, widths: [4], replicas: 1 });
    const pb = big.init(replicaRngs(10, 3));
    const p1 = one.init(replicaRngs(12, 1));
    const last = tf.slice(pb.w0 as tf.Tensor, [2], [1]);
    await expectClose(last, p1.w0 as tf.Tensor, { atol: 0, rtol: 0, what: 'w0' });
    tf.dispose([pb, p1, last]);
  });
});
