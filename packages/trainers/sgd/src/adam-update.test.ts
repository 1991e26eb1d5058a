/**
 * Adam's update as one kernel (adam-update.ts, webgpu-adam.ts): a trainer with it equals the
 * chain (`scaleByAdam`, `scale(−lr)`, decoupled decay) on the cpu backend after 12 steps, and on
 * one step from the same state equals the chain on the same backend to a few ulps; one call is
 * one submit and one dispatch per parameter, with nothing read back and nothing leaked. The
 * kernel exists on webgpu only (CI: Mesa lavapipe).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import {
  describeOnBackends,
  countGpuWork,
  setupTestBackend,
  withNarrowDispatch,
  withoutKernels,
} from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import type { Batch, TrainerState } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { createDense } from '@learnability/dense';
import { beforeAll, expect, it } from 'vitest';
import { createAdam } from './adam.js';
import type { AdamConfig } from './adam.js';
import { ADAM_KERNELS } from './adam-kernels.js';
import { ADAM_UPDATE, adamUpdateByKernel } from './adam-update.js';
import { train } from '../test/train.js';

const normals = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, 1);
  return tf.tensor(v, shape);
};

/** A dense model (3 replicas, 2 hidden layers: 6 parameters) and its batches, made on the active backend. */
const setting = (steps: number) => {
  const model = createDense({ inputSize: 7, widths: [13, 9], replicas: 3 });
  const batches: Batch[] = Array.from({ length: steps }, (_, i) => ({
    x: normals([3, 10, 7], 100 + i),
    y: normals([3, 10, 1], 200 + i),
  }));
  return { model, batches };
};

const host = async (tensors: Record<string, tf.Tensor>) =>
  Object.fromEntries(
    await Promise.all(Object.entries(tensors).map(async ([k, t]) => [k, (await t.data()) as Float32Array] as const)),
  );

const CONFIGS: [string, AdamConfig][] = [
  ['Adam', { lr: 0.01 }],
  ['AdamW (decoupled decay), other β', { lr: 0.02, beta1: 0.8, beta2: 0.99, weightDecay: 0.05 }],
];
const STEPS = 12;
describeOnBackends(['webgpu'], "Adam's update as one kernel", () => {
  beforeAll(async () => {
    await setupTestBackend('webgpu', { kernels: ADAM_KERNELS });
  });

  for (const [what, config] of CONFIGS)
    it(`a trainer with it equals the chain on cpu after ${STEPS} steps, params, moments and losses (${what})`, async () => {
      await setupBackend('cpu');
      const cpu = setting(STEPS);
      const reference = train(createAdam({ ...config, loss: 'mse' }), cpu.model, cpu.batches);
      const want = { params: await host(reference.state.params), slots: await host(reference.state.slots) };
      const wantLosses = await Promise.all(reference.losses.map((t) => t.data()));
      tf.dispose([reference.state.params, reference.state.slots, reference.losses, cpu.batches] as tf.TensorContainer);

      await setupTestBackend('webgpu', { kernels: ADAM_KERNELS });
      const gpu = setting(STEPS);
      const trainer = createAdam({ ...config, loss: 'mse' });
      const before = tf.memory().numTensors;
      const run = train(trainer, gpu.model, gpu.batches);
      // The kernel must really run: a silent fallback would compare the chain with itself.
      expect(trainer.describeStep?.()).toMatch(/; Adam's update of every parameter runs as one webgpu kernel$/);
      const tol = { atol: 2e-5, rtol: 1e-4 };
      // Every parameter and moment of the reference, none missing from the kernel's state.
      expect(Object.keys(run.state.params).sort()).toEqual(Object.keys(want.params).sort());
      expect(Object.keys(run.state.slots).sort()).toEqual(Object.keys(want.slots).sort());
      for (const [name, t] of Object.entries(run.state.params))
        await expectClose(t, want.params[name] as Float32Array, { ...tol, what: name });
      for (const [name, t] of Object.entries(run.state.slots))
        await expectClose(t, want.slots[name] as Float32Array, { ...tol, what: name });
      for (const [i, t] of run.losses.entries())
        await expectClose(t, wantLosses[i] as Float32Array, { ...tol, what: `loss at step ${i + 1}` });
      trainer.dispose(run.state);
      tf.dispose(run.losses);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(gpu.batches as unknown as tf.TensorContainer);
    });

  /** One step of the fused trainer from the chain's state after 2 steps, against the chain's third step. */
  const oneStepEqualsChain = async () => {
    const { model, batches } = setting(3);
    const config = { lr: 0.01, weightDecay: 0.01, loss: 'mse' as const };
    // Three steps of the chain, so the moments and the bias corrections are past their first values.
    const chain = createAdam(config);
    const start = withoutKernels([ADAM_UPDATE], () => train(chain, model, batches.slice(0, 2)));
    // A trainer's step frees the state it is given: the fused one starts from copies.
    const clone = (ts: Record<string, tf.Tensor>) =>
      Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, t.clone()]));
    const copy = { step: start.state.step, params: clone(start.state.params), slots: clone(start.state.slots) };
    const fused = createAdam(config);
    const a = fused.step(fused.restoreState?.(model, copy) as TrainerState, batches[2] as Batch);
    expect(fused.describeStep?.()).toMatch(/Adam's update of every parameter runs as one webgpu kernel$/);
    const b = withoutKernels([ADAM_UPDATE], () => chain.step(start.state, batches[2] as Batch));
    for (const [name, t] of Object.entries(b.state.params))
      await expectClose(a.state.params[name] as tf.Tensor, t, { atol: 1e-7, rtol: 1e-6, what: name });
    for (const [name, t] of Object.entries(b.state.slots))
      await expectClose(a.state.slots[name] as tf.Tensor, t, { atol: 1e-9, rtol: 1e-6, what: name });
    tf.dispose([
      a.loss,
      b.loss,
      start.losses,
      a.state.params,
      a.state.slots,
      b.state.params,
      b.state.slots,
      batches,
    ] as tf.TensorContainer);
  };

  it('one step from the same state equals the chain on webgpu itself to a few ulps', oneStepEqualsChain);

  it('so it does with 4 workgroups per dispatch dimension: parameters of 5–6 groups of 64 take a 2-D grid', () =>
    // As a parameter past 65,535 × 64 floats does on a real device.
    withNarrowDispatch(4, ADAM_KERNELS, oneStepEqualsChain));

  it('is one submit, one pass and one dispatch per parameter, reads nothing back and keeps nothing, over 20 calls', async () => {
    const shapes = [
      [3, 7, 13],
      [3, 13],
      [3, 13, 9],
      [3, 9],
      [3, 9, 1],
      [3, 1],
    ];
    const names = shapes.map((_, i) => `w${i}`);
    const of = (seed: number) => Object.fromEntries(shapes.map((s, i) => [names[i], tf.add(normals(s, seed + i), 0)]));
    let params = of(10);
    const grads = of(20);
    let slots = Object.fromEntries(
      names.flatMap((n, i) => [
        [`${n}.m`, tf.zeros(shapes[i] as number[])],
        [`${n}.v`, tf.zeros(shapes[i] as number[])],
      ]),
    );
    const hyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
    const step = (t: number) => {
      const next = adamUpdateByKernel(params, grads, slots, hyper, t);
      tf.dispose([Object.values(params), Object.values(slots)]);
      [params, slots] = [next.params, next.slots];
    };
    step(1); // compiles the program and uploads the inputs
    await (params.w0 as tf.Tensor).data();
    const before = tf.memory().numTensors;
    const counter = countGpuWork();
    for (let t = 2; t <= 21; t++) step(t);
    counter.stop();
    expect(counter.counts).toEqual({ submits: 20, passes: 20, dispatches: 20 * shapes.length, readMaps: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect((await (params.w0 as tf.Tensor).data()).every(Number.isFinite)).toBe(true);
    tf.dispose([Object.values(params), Object.values(grads), Object.values(slots)]);
  });

  it('refuses inputs outside its contract in one line', () => {
    const [p, q] = [normals([2, 3], 1), normals([3, 2], 2)];
    const attrs = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, count: 1, step: 1 };
    expect(() => tf.engine().runKernel(ADAM_UPDATE, { p0: p, g0: p, m0: p, v0: q }, attrs)).toThrow(
      'LearnabilityAdamUpdate: expected float32 inputs p0, g0, m0, v0 of one shape',
    );
    tf.dispose([p, q]);
  });
});
