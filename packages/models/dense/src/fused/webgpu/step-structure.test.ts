/**
 * The fused WebGPU step's structure, counted on the device (countGpuWork): one queue submit
 * and three dispatches per step whatever the depth, nothing mapped for reading, and no tensor
 * kept, over 100 steps. Runs where webgpu runs (CI: Mesa lavapipe).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { countGpuWork, describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Params } from '@learnability/core';
import { expect, it } from 'vitest';
import { createDense } from '../../dense.js';
import { DENSE_KERNELS } from '../index.js';

const RULE = { lr: 0.05, weightDecay: 0.01, loss: 'hinge' };

/** A batch as the training loop makes one: host values in fresh tensors. */
function batch(seed: number, R: number, B: number, n: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = new Float32Array(R * B * n);
  const y = new Float32Array(R * B);
  createRng(seed).signs(x);
  createRng(seed + 1).signs(y);
  return { x: tf.tensor(x, [R, B, n]), y: tf.tensor(y, [R, B, 1]) };
}

describeEachBackend('fused dense step on the device', (backend) => {
  for (const widths of [[64], [40, 24, 16]]) {
    it.skipIf(backend !== 'webgpu')(
      `one submit, 3 dispatches and no read-back per step, no leaks over 100 steps (hidden ${widths.join('×')})`,
      async () => {
        await setupBackend('webgpu', { kernels: DENSE_KERNELS });
        const model = createDense({ inputSize: 20, widths, replicas: 3 });
        const fused = model.fusedSgdStep;
        if (!fused) throw new Error('the dense model has no fused step');
        expect(fused.unsupported(RULE)).toBeNull();
        let params: Params = model.init(replicaRngs(3, 3));
        const step = (seed: number) => {
          const b = batch(seed, 3, 16, 20);
          const next = fused.step(params, b, RULE);
          tf.dispose([...Object.values(params), b.x, b.y]);
          params = next.params;
          return next.loss;
        };
        step(1).dispose(); // the first step compiles and uploads the initial θ
        const before = tf.memory().numTensors;
        const counter = countGpuWork();
        const losses: tf.Tensor[] = [];
        for (let i = 0; i < 100; i++) losses.push(step(10 + 2 * i));
        counter.stop();
        expect(counter.counts).toEqual({ submits: 100, passes: 100, dispatches: 300, readMaps: 0 });
        const first = (await losses[0]?.data()) ?? [];
        const last = (await losses[99]?.data()) ?? [];
        expect([...first, ...last].every(Number.isFinite)).toBe(true);
        tf.dispose(losses);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose(Object.values(params));
      },
    );
  }
});
