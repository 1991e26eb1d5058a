import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import {
  expectReplicaIsSeed,
  describeModelContract,
  describeTrainerContract,
  expectClose,
  signTeacherBatch,
} from '@learnability/core/testing';
import { createSgd } from '@learnability/sgd';
import { describe, expect, it } from 'vitest';
import { rcnnParamCount } from './param-count.js';
import { createRcnn } from './rcnn.js';
import { resolveRcnnConfig } from './rcnn-config.js';

const signs = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).signs(v);
  return tf.tensor(v, shape);
};

describe('rcnn parameter count', () => {
  it('is the same for grid widths 8 and 64, for heights 2 and 40, and for depths T = 4 and 64; only the first layer grows with the input', () => {
    for (const inputShape of [[6], [5, 7]]) {
      const count = (gridWidth: number, depth: number) => createRcnn({ inputShape, gridWidth, depth }).paramCount;
      const base = count(8, 4);
      expect(count(64, 4)).toBe(base);
      expect(count(8, 64)).toBe(base);
      expect(count(64, 64)).toBe(base);
      // From two rows up; a one-row grid has a 1×k filter (the test below).
      const rows = inputShape.length === 2 ? (inputShape[0] as number) : 1;
      expect(createRcnn({ inputShape, gridHeight: 40, depth: 300 }).paramCount).toBe(
        createRcnn({ inputShape, gridHeight: Math.max(2, rows) }).paramCount,
      );
    }
    const small = createRcnn({ inputShape: [5, 7] }).paramCounts;
    const large = createRcnn({ inputShape: [33, 31] }).paramCounts;
    expect(large.embedding).toBeGreaterThan(small.embedding);
    expect(large.recurrent).toBe(small.recurrent);
    expect(large.readout).toBe(small.readout);
    // 'cell' first layer: 2·rows·cols·C, linear in m and d.
    expect(large.embedding).toBe(2 * 33 * 31 * 8);
  });

  it("rcnnParamCount gives the model's counts from a resolved config, and refuses a raw one (NaN counts before)", () => {
    const config = { inputShape: [5, 7] };
    expect(rcnnParamCount(resolveRcnnConfig(config))).toEqual(createRcnn(config).paramCounts);
    expect(() => rcnnParamCount(config as never)).toThrow(
      'rcnnParamCount: takes a resolved config; for a raw one, rcnnParamCount(resolveRcnnConfig(config))',
    );
    expect(() => resolveRcnnConfig(undefined as never)).toThrow(
      'rcnn: expected a config object, e.g. { inputShape: [8, 9] }, but got none',
    );
  });
});

describeEachBackend('rcnn', () => {
  describeModelContract('rcnn direct (dense first layer, gated), 3 replicas', () => {
    const model = createRcnn({
      inputShape: [6],
      gridHeight: 2,
      gridWidth: 7,
      channels: 3,
      depth: 3,
      readoutWidth: 5,
      replicas: 3,
    });
    return { model, input: (b, seed) => signs([3, b, 6], seed) };
  });

  describeModelContract('rcnn in-context (cell first layer, residual, checkpointed), 2 replicas', () => {
    const model = createRcnn({
      inputShape: [4, 3],
      gridWidth: 5,
      channels: 2,
      depth: 5,
      update: 'residual',
      checkpointEvery: 2,
      outputSize: 2,
      replicas: 2,
    });
    return { model, input: (b, seed) => signs([2, b, 4, 3], seed) };
  });

  // The toy task: fresh samples of a fixed 5-bit linear-threshold teacher, learned (≥ 90% on held-out
  // batches; chance is 50%) in 150 steps.
  describeTrainerContract(
    'sgd on an rcnn',
    (replicas) => ({
      model: createRcnn({ inputShape: [5], channels: 2, depth: 3, readoutWidth: 4, replicas }),
      trainer: createSgd({ lr: 0.05, loss: 'mse' }),
      batch: (seed) => ({ x: signs([replicas, 4, 5], seed), y: signs([replicas, 4, 1], seed + 100) }),
      toy: (step) => signTeacherBatch({ replicas, batchSize: 16, inputSize: 5, seed: 4 }, step),
    }),
    { learnSteps: 150, learnedAccuracy: 0.9 },
  );

  it('init makes exactly one filter tensor, however deep the unroll', () => {
    const model = createRcnn({ inputShape: [4, 5], depth: 50, channels: 3 });
    const params = model.init(replicaRngs(0, 1));
    expect(Object.keys(params).sort()).toEqual([
      'convB',
      'convW',
      'embedBias',
      'embedScale',
      'readB1',
      'readB2',
      'readW1',
      'readW2',
    ]);
    expect(params.convW?.shape).toEqual([1, 3, 3, 6, 6]);
    tf.dispose(params);
  });

  it('one filter serves every step: changing it changes every step, and nothing else has per-step weights', async () => {
    const model = createRcnn({ inputShape: [3, 4], channels: 2, depth: 6, replicas: 1 });
    const params = model.init(replicaRngs(4, 1));
    const x = signs([1, 2, 3, 4], 1);
    const nudged = { ...params, convW: tf.add(params.convW as tf.Tensor, 0.05) };
    const a = model.applyLayers(params, x);
    const b = model.applyLayers(nudged, x);
    // layers: first layer, T steps, readout hidden, readout output.
    expect(a.layers).toHaveLength(1 + 6 + 2);
    await expectClose(b.layers[0]?.output as tf.Tensor, a.layers[0]?.output as tf.Tensor, {
      atol: 0,
      rtol: 0,
      what: 'first layer (does not read the filter)',
    });
    for (let t = 1; t <= 6; t++) {
      const changed = tf.tidy(() =>
        tf.max(
          tf.abs(
            tf.sub(
              (b.layers[t] as { preActivation: tf.Tensor }).preActivation,
              (a.layers[t] as { preActivation: tf.Tensor }).preActivation,
            ),
          ),
        ),
      );
      expect((await changed.data())[0], `step ${t} pre-activation moved`).toBeGreaterThan(1e-3);
      changed.dispose();
    }
    tf.dispose([
      params,
      nudged.convW,
      x,
      ...[a, b].flatMap((t) => [t.output, ...t.layers.flatMap((l) => [l.input, l.preActivation, l.output])]),
    ]);
  });

  it('on a 1×n grid (the direct use) the filter is 1×3 and no parameter has an identically zero gradient over a batch', async () => {
    const model = createRcnn({ inputShape: [8], replicas: 2 });
    expect([model.config.gridHeight, model.config.kernelHeight, model.config.kernelWidth]).toEqual([1, 1, 3]);
    // 1·3 taps · 2C in · 2C out + 2C bias, C = 8 (a 3×3 filter had 2,320, 1,536 of them inert).
    expect(model.paramCounts.recurrent).toBe(3 * 16 * 16 + 16);
    const params = model.init(replicaRngs(0, 2));
    expect(params.convW?.shape).toEqual([2, 1, 3, 16, 16]);
    const x = signs([2, 64, 8], 1);
    const y = signs([2, 64, 1], 2);
    const names = Object.keys(params);
    const loss = (...ps: tf.Tensor[]) =>
      tf.mean(tf.square(tf.sub(model.apply(Object.fromEntries(names.map((n, i) => [n, ps[i] as tf.Tensor])), x), y)));
    const grads = tf.grads(loss)(names.map((n) => params[n] as tf.Tensor));
    for (const [i, name] of names.entries()) {
      const g = (await (grads[i] as tf.Tensor).data()) as Float32Array;
      const zero = g.reduce((count, v) => count + (v === 0 ? 1 : 0), 0);
      expect(zero, `${name}: ${zero} of ${g.length} entries have a zero gradient`).toBe(0);
    }
    tf.dispose([params, x, y, grads]);
  });

  it('a grid two rows high keeps the full 3×3 filter: its outer rows reach the other row', () => {
    expect([
      createRcnn({ inputShape: [8], gridHeight: 2 }).config.kernelHeight,
      createRcnn({ inputShape: [2, 3] }).config.kernelWidth,
    ]).toEqual([3, 3]);
    expect(createRcnn({ inputShape: [3], kernelSize: 5 }).config.kernelWidth).toBe(5);
    expect(createRcnn({ inputShape: [2], kernelSize: 5 }).config.kernelWidth).toBe(3);
  });

  it('replica r equals a one-replica model initialised with seed + r: every parameter, and the output', async () => {
    await expectReplicaIsSeed(
      createRcnn({ inputShape: [3, 4], channels: 2, depth: 4, replicas: 3 }),
      createRcnn({ inputShape: [3, 4], channels: 2, depth: 4, replicas: 1 }),
      10,
      2,
    );
    const big = createRcnn({ inputShape: [3, 4], channels: 2, depth: 4, replicas: 3 });
    const one = createRcnn({ inputShape: [3, 4], channels: 2, depth: 4, replicas: 1 });
    const pb = big.init(replicaRngs(10, 3));
    const p1 = one.init(replicaRngs(12, 1));
    const x = signs([3, 2, 3, 4], 3);
    const x2 = tf.slice(x, [2], [1]);
    const [yb, y1] = [big.apply(pb, x), one.apply(p1, x2)];
    const last = tf.slice(yb, [2], [1]);
    await expectClose(last, y1, { atol: 1e-5, rtol: 1e-4, what: 'replica 2 output' });
    tf.dispose([pb, p1, x, x2, yb, y1, last]);
  });
});

describe('createRcnn config errors', () => {
  it('names the option and what was expected', () => {
    expect(() => createRcnn({ inputShape: [] })).toThrow('rcnn.inputShape must be [d] or [rows, cols]');
    // A bare number read as "[16]", which looks right; inputSize (dense's word) read as "[undefined]".
    expect(() => createRcnn({ inputShape: 16 as never })).toThrow(
      'rcnn.inputShape must be [d] or [rows, cols], but got 16',
    );
    expect(() => createRcnn({ inputSize: 16 } as never)).toThrow(
      'rcnn.inputShape must be [d] or [rows, cols], but got undefined (the option is inputShape: [d], not inputSize)',
    );
    expect(() => createRcnn({ inputShape: [4, 5], gridWidth: 4 })).toThrow(
      'rcnn.gridWidth must be an integer ≥ 5, but got 4',
    );
    expect(() => createRcnn({ inputShape: [4], kernelSize: 4 })).toThrow(
      'rcnn.kernelSize: must be odd (a centred k×k filter), but got 4',
    );
    // Every schema problem at once, with the part's name for a path.
    expect(() => createRcnn({ inputShape: [4], depth: 0, channels: 1.5, update: 'plain' as 'gated' })).toThrow(
      'rcnn.channels: expected an integer ≥ 1, but got 1.5; rcnn.depth: expected null or an integer ≥ 1, but got 0; rcnn.update: expected one of "gated", "residual", but got "plain"',
    );
  });

  it('resolves the defaults from the input shape', () => {
    const direct = createRcnn({ inputShape: [10] }).config;
    expect([direct.gridHeight, direct.gridWidth, direct.depth, direct.embedding, direct.checkpointEvery]).toEqual([
      1,
      10,
      11,
      'dense',
      0,
    ]);
    const prompt = createRcnn({ inputShape: [21, 9] }).config;
    expect([prompt.gridHeight, prompt.gridWidth, prompt.depth, prompt.embedding, prompt.checkpointEvery]).toEqual([
      21,
      9,
      30,
      'cell',
      0,
    ]);
    // Checkpointed (segments of ⌈√T⌉) once T·H·W·C reaches 2¹⁶ floats a prompt: 101·100·8 and 256·45·8, not 30·189·8 above.
    expect(createRcnn({ inputShape: [100] }).config.checkpointEvery).toBe(11);
    expect(createRcnn({ inputShape: [9, 5], depth: 256 }).config.checkpointEvery).toBe(16);
    expect(createRcnn({ inputShape: [8, 8], channels: 16, depth: 63 }).config.checkpointEvery).toBe(0); // 64,512
    expect(createRcnn({ inputShape: [8, 8], channels: 16, depth: 64 }).config.checkpointEvery).toBe(8); // 65,536
  });
});
