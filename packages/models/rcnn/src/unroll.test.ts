import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, withoutKernels } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Params } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { expect, it } from 'vitest';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD } from './fused-unroll.js';
import { createRcnn } from './rcnn.js';
import { unroll } from './unroll.js';
import type { RcnnConfig } from './rcnn-config.js';

const signs = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).signs(v);
  return tf.tensor(v, shape);
};

/** Loss Σ_r mean (ŷ − y)² and its gradient for every parameter, with the model built from `config`. */
function lossAndGrads(
  config: RcnnConfig,
  params: Params,
  x: tf.Tensor,
  y: tf.Tensor,
): { value: tf.Tensor; grads: tf.Tensor[] } {
  const model = createRcnn(config);
  const names = Object.keys(params);
  return tf.valueAndGrads((...ts: tf.Tensor[]) => {
    const p = Object.fromEntries(names.map((n, i) => [n, ts[i] as tf.Tensor]));
    return tf.sum(tf.mean(tf.square(tf.sub(model.apply(p, x), y)), [1, 2]));
  })(names.map((n) => params[n] as tf.Tensor));
}

describeEachBackend('checkpointed unroll', () => {
  for (const update of ['gated', 'residual'] as const) {
    it(`gives the plain unroll's loss and gradients for every parameter (${update}, T = 7, segments of 1, 2, 3)`, async () => {
      const base: RcnnConfig = {
        inputShape: [3, 4],
        gridWidth: 5,
        channels: 2,
        depth: 7,
        update,
        replicas: 2,
        checkpointEvery: 0,
      };
      const params = createRcnn(base).init(replicaRngs(5, 2));
      const x = signs([2, 3, 3, 4], 6);
      const y = signs([2, 3, 1], 7);
      const plain = lossAndGrads(base, params, x, y);
      for (const every of [1, 2, 3]) {
        const before = tf.memory().numTensors;
        const ck = lossAndGrads({ ...base, checkpointEvery: every }, params, x, y);
        await expectClose(ck.value, plain.value, { atol: 1e-5, rtol: 1e-4, what: `loss, segments of ${every}` });
        for (const [i, name] of Object.keys(params).entries()) {
          await expectClose(ck.grads[i] as tf.Tensor, plain.grads[i] as tf.Tensor, {
            atol: 1e-5,
            rtol: 1e-3,
            what: `∂${name}, segments of ${every}`,
          });
        }
        tf.dispose([ck.value, ck.grads]);
        expect(tf.memory().numTensors, 'tensors after a checkpointed gradient').toBe(before);
      }
      tf.dispose([plain.value, plain.grads, params, x, y]);
    });
  }

  // The ops' unroll, on every backend (the unroll kernels, which other test files register, are
  // set aside; their checkpointing is tested in fused/unroll-kernels.test.ts).
  it('keeps less memory alive during the backward pass (T = 64: segments of 8 vs a plain unroll)', async () => {
    const base: RcnnConfig = { inputShape: [4, 4], channels: 4, depth: 64, checkpointEvery: 0 };
    const params = createRcnn(base).init(replicaRngs(1, 1));
    const x = signs([1, 4, 4, 4], 2);
    const y = signs([1, 4, 1], 3);
    const peak = async (config: RcnnConfig) => {
      const info = await tf.profile(() =>
        withoutKernels([RCNN_UNROLL, RCNN_UNROLL_GRAD], () => {
          const r = lossAndGrads(config, params, x, y);
          tf.dispose([r.value, r.grads]);
          return [] as tf.Tensor[];
        }),
      );
      expect(info.kernelNames).not.toContain(RCNN_UNROLL_GRAD);
      return info.peakBytes;
    };
    const plain = await peak(base);
    const checkpointed = await peak({ ...base, checkpointEvery: 8 });
    expect(checkpointed).toBeLessThan(0.5 * plain);
    tf.dispose([params, x, y]);
  });

  it('evaluates a checkpointed unroll in the memory of one step, whatever the depth (segment boundaries freed)', async () => {
    const base: RcnnConfig = { inputShape: [4, 4], channels: 4, depth: 8, checkpointEvery: 2 };
    const params = createRcnn(base).init(replicaRngs(1, 1));
    const x = signs([1, 16, 4, 4], 2);
    const peak = async (depth: number) => {
      const model = createRcnn({ ...base, depth });
      const info = await tf.profile(() =>
        withoutKernels([RCNN_UNROLL, RCNN_UNROLL_GRAD], () => {
          tf.dispose(model.apply(params, x));
          return [] as tf.Tensor[];
        }),
      );
      return info.peakBytes;
    };
    // 4 segments or 32: kept alive until the end, the 28 more boundaries (16 · 16 · 4 floats each)
    // would add 28 × 4 kB to the peak.
    const [shallow, deep] = [await peak(8), await peak(64)];
    expect(deep).toBe(shallow);
    tf.dispose([params, x]);
  });

  it('refuses, before any tensor, options a plain-JS caller can get wrong (checkpointEvery −1 looped for ever)', () => {
    const e = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
    const w = { convW: tf.zeros([1, 3, 3, 8, 8]), convB: tf.zeros([1, 1, 8]) };
    const before = tf.memory().numTensors;
    const o = { update: 'gated' as const, depth: 3, checkpointEvery: 0 };
    expect(() => unroll({ ...o, checkpointEvery: -1 }, e, w)).toThrow(
      'unroll: checkpointEvery must be an integer ≥ 0, but got -1',
    );
    expect(() => unroll({ ...o, depth: 2.5 }, e, w)).toThrow('unroll: depth must be an integer ≥ 1, but got 2.5');
    expect(() => unroll({ ...o, update: 'gru' as never }, e, w)).toThrow(
      'unroll: update must be gated or residual, but got "gru" (a string)',
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([e, w.convW, w.convB]);
  });
});
