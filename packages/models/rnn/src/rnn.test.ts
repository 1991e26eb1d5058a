import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { describeModelContract, expectClose, expectReplicaIsSeed } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { refRnnForward, refRnnFromParams } from '../test/reference-rnn.js';
import { createRnn } from './rnn.js';

const bits = (shape: number[], seed: number) => {
  const rng = createRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.uniform() < 0.5 ? 0 : 1)),
    shape,
  );
};

describeEachBackend('ReLU RNN', () => {
  describeModelContract('rnn, 2 replicas, unit biases', () => {
    const model = createRnn({ inputSize: 2, steps: 4, width: 6, outputSize: 2, replicas: 2, bias: 'unit' });
    return { model, input: (b, seed) => bits([2, b, 4, 2], seed) };
  });

  it('forward pass equals the plain-JS reference, every step and replica', async () => {
    const [R, B, T, d, n, o] = [2, 3, 5, 2, 7, 2];
    const model = createRnn({ inputSize: d, steps: T, width: n, outputSize: o, replicas: R, bias: 'fan-in' });
    const params = model.init(replicaRngs(4, R));
    const x = bits([R, B, T, d], 9);
    const before = tf.memory().numTensors;
    const y = model.apply(params, x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual([R, B, T * o]);
    const data: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(params)) data[k] = (await t.data()) as Float32Array;
    const xs = (await x.array()) as number[][][][];
    const ys = await y.data();
    for (let r = 0; r < R; r++) {
      const net = refRnnFromParams(data, r, d, n, o);
      for (let b = 0; b < B; b++) {
        const ref = refRnnForward(net, (xs[r] as number[][][])[b] as number[][]);
        const start = (r * B + b) * T * o;
        await expectClose(ys.subarray(start, start + T * o), ref, {
          atol: 1e-5,
          rtol: 1e-4,
          what: `replica ${r} sequence ${b}`,
        });
      }
    }
    tf.dispose([params, x, y]);
  });

  it('applyLayers exposes [x_t, h_{t−1}], z_t and h_t per step, then the readout', async () => {
    const [R, B, T, d, n] = [1, 2, 3, 1, 4];
    const model = createRnn({ inputSize: d, steps: T, width: n, replicas: R, bias: 'unit' });
    const params = model.init(replicaRngs(2, R));
    const x = bits([R, B, T, d], 3);
    const trace = model.applyLayers(params, x);
    expect(trace.layers.length).toBe(T + 1);
    const [l0, l1] = trace.layers as [NonNullable<(typeof trace.layers)[0]>, NonNullable<(typeof trace.layers)[0]>];
    expect(l1.input.shape).toEqual([R, B, d + n]);
    // h_{−1} = 0, and step 1's recurrent input is step 0's output.
    const zeroState = tf.slice(l0.input, [0, 0, d], [R, B, n]);
    const h0 = tf.slice(l1.input, [0, 0, d], [R, B, n]);
    await expectClose(zeroState, new Float32Array(R * B * n), { atol: 0, rtol: 0, what: 'h_{−1}' });
    await expectClose(h0, l0.output, { atol: 0, rtol: 0, what: 'h_0' });
    const relu = tf.relu(l1.preActivation);
    await expectClose(l1.output, relu, { atol: 0, rtol: 0, what: 'h_1 = relu(z_1)' });
    expect(trace.layers[T]?.preActivation.shape).toEqual([R, B, T]);
    tf.dispose([
      params,
      x,
      zeroState,
      h0,
      relu,
      trace.output,
      ...trace.layers.flatMap((l) => [l.input, l.preActivation, l.output]),
    ]);
  });
});

describe('createRnn config errors', () => {
  it('names the option and what was expected', () => {
    expect(() => createRnn({ inputSize: 1, steps: 0 })).toThrow('rnn.steps must be an integer ≥ 1, but got 0');
    // Every schema problem at once, with the part's name for a path.
    expect(() => createRnn({ inputSize: 1, steps: 3, width: 2.5, bias: 'big' as 'unit' })).toThrow(
      'rnn.width: expected an integer ≥ 1, but got 2.5; rnn.bias: expected one of "zero", "fan-in", "unit", but got "big"',
    );
  });

  it('replica r equals a one-replica model with seed + r, every parameter', async () => {
    const config = { inputSize: 1, steps: 2, width: 3, bias: 'fan-in' as const };
    await expectReplicaIsSeed(createRnn({ ...config, replicas: 3 }), createRnn(config), 10, 2);
  });
});
