/**
 * The fused looped step's structure, counted on the device (countGpuWork): one queue submit per
 * step, nothing mapped for reading, 7 dispatches per block application forward and 7 backward
 * (plus one LN_f head per iteration each way and 5 per step), so at most 12 per block application;
 * and no tensor kept over 100 steps. Runs where webgpu runs (CI: Mesa lavapipe).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { countGpuWork, describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Params } from '@learnability/core';
import { expect, it } from 'vitest';
import { createLoopedTransformer } from '../../looped-transformer.js';
import type { LoopedTransformerConfig } from '../../config.js';
import { LOOPED_KERNELS } from '../index.js';

/** The trainer's part, here a rule with one slot: heavy-ball SGD, b ← 0.9b + g, θ ← θ − lr·b. */
const MOMENTUM = { slots: ['b'], wgsl: 's[0] = 0.9 * s[0] + g; theta = theta - sc[0] * s[0];', scalars: [1e-3] };

const CASES: {
  title: string;
  model: Pick<LoopedTransformerConfig, 'layers' | 'loops'>;
  loops: number;
  lossLoops: number;
}[] = [
  { title: 'looped: 1 block, b = 5, T = 3', model: { layers: 1, loops: 5 }, loops: 5, lossLoops: 3 },
  { title: 'standard: 3 blocks, loops 1', model: { layers: 3, loops: 1 }, loops: 1, lossLoops: 1 },
];

describeEachBackend('fused looped step on the device', (backend) => {
  for (const c of CASES) {
    it.skipIf(backend !== 'webgpu')(
      `one submit, ≤ 12 dispatches per block application, no read-back, no leaks over 100 steps (${c.title})`,
      async () => {
        await setupBackend('webgpu', { kernels: LOOPED_KERNELS });
        const R = 2;
        const model = createLoopedTransformer({
          tokens: 6,
          tokenSize: 2,
          embedSize: 8,
          heads: 2,
          replicas: R,
          ...c.model,
        });
        const fused = model.fusedStep;
        expect(fused.unsupported()).toBeNull();
        let params: Params = model.init(replicaRngs(3, R));
        let slots: Record<string, tf.Tensor> = {};
        for (const [name, p] of Object.entries(params)) slots[`${name}.b`] = tf.zerosLike(p);
        const xs = new Float32Array(R * 2 * 6 * 2);
        const ys = new Float32Array(R * 2 * 3);
        const step = (i: number) => {
          createRng(10 + i).normals(xs, 1);
          createRng(20 + i).normals(ys, 1);
          const x = tf.tensor(xs, [R, 2, 6, 2]);
          const y = tf.tensor(ys, [R, 2, 3]);
          const plan = { loops: c.loops, lossLoops: c.lossLoops, points: null };
          const next = fused.step({ params, slots, x, y, plan, update: MOMENTUM });
          tf.dispose([...Object.values(params), ...Object.values(slots), x, y]);
          params = next.params;
          slots = next.slots;
          return next.loss;
        };
        step(0).dispose(); // the first step compiles and uploads θ and b
        const before = tf.memory().numTensors;
        const counter = countGpuWork();
        const losses: tf.Tensor[] = [];
        for (let i = 1; i <= 100; i++) losses.push(step(i));
        counter.stop();
        const L = model.config.layers;
        const applications = (c.loops + c.lossLoops) * L;
        const perStep = 7 * applications + c.loops + c.lossLoops + 5;
        // The bound first, on the measured count: it is what fails if a change adds dispatches past it.
        expect(counter.counts.dispatches / 100 / applications, 'dispatches a block application').toBeLessThanOrEqual(
          12,
        );
        expect(counter.counts).toEqual({ submits: 100, passes: 100, dispatches: 100 * perStep, readMaps: 0 });
        const first = (await losses[0]?.data()) ?? [];
        const last = (await losses[99]?.data()) ?? [];
        expect([...first, ...last].every(Number.isFinite)).toBe(true);
        tf.dispose(losses);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([...Object.values(params), ...Object.values(slots)]);
      },
    );
  }
});
