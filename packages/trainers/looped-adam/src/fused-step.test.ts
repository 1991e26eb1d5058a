/**
 * The looped transformer's fused step (`LOOPED_KERNELS`) running this trainer's WGSL Adam (`@learnability/sgd`'s `wgslAdam`) equals this trainer's generic
 * TF.js step on the cpu backend after 10 steps: looped with b > T (and with both curricula,
 * weight decay, 3 replicas, D past one 64-thread row; and 70-token prompts), and the standard
 * model (2 layers, loops 1, the last-token readout). Runs where the kernel exists (webgpu; CI: Mesa lavapipe).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import {
  describeEachBackend,
  describeOnBackends,
  withDeviceLimits,
  withNarrowDispatch,
} from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch, Trainer } from '@learnability/core';
import { describeTrainerContract, expectClose } from '@learnability/core/testing';
import { LOOPED_KERNELS, createLoopedTransformer } from '@learnability/looped-transformer';
import type { LoopedTransformerConfig } from '@learnability/looped-transformer';
import { beforeAll, expect, it } from 'vitest';
import { createLoopedAdam } from './looped-adam.js';
import { loopedLossAndGrads } from './looped-loss.js';
import type { LoopedAdamConfig } from './looped-adam.js';

interface Case {
  title: string;
  model: LoopedTransformerConfig;
  trainer: LoopedAdamConfig;
  batch: number;
}

/**
 * Adam's ε for these tests. The key bias's exact gradient is 0 (a softmax is unchanged when one
 * constant, q·b_k, is added to every score of a query), so both paths compute it as rounding
 * noise, ~1e-9; with the default ε = 1e-8 Adam divides that noise by its own size and moves the
 * key bias by ±lr per step in each path independently. ε = 1e-6 keeps such updates at noise size
 * while every real gradient here (≥ 1e-5) is still normalised as Adam does.
 */
const EPSILON = 1e-6;

const CASES: Case[] = [
  {
    title: 'looped, b = 4 > T = 2, 1 replica',
    model: { tokens: 10, tokenSize: 3, embedSize: 20, heads: 4, loops: 4 },
    trainer: { lr: 3e-3, lossLoops: 2, epsilon: EPSILON },
    batch: 4, // 40 rows: the weight gradients split K in two (split-K)
  },
  {
    title: 'looped, both curricula, weight decay, 3 replicas, D = 72',
    model: { tokens: 12, tokenSize: 5, embedSize: 72, heads: 3, loops: 5, replicas: 3 },
    trainer: {
      lr: 2e-3,
      epsilon: EPSILON,
      lossLoops: 2,
      weightDecay: 0.1,
      loopsStart: 3,
      loopsIncrement: 1,
      loopsInterval: 4,
      pointsStart: 4,
      pointsIncrement: 1,
      pointsInterval: 5,
    },
    batch: 2,
  },
  {
    title: 'standard, 2 layers, loops 1, last-token readout, mlpRatio 2',
    model: { tokens: 7, tokenSize: 4, embedSize: 24, heads: 2, layers: 2, readout: 'last', mlpRatio: 2 },
    trainer: { lr: 3e-3, epsilon: EPSILON },
    batch: 5, // 35 rows: split-K over a partial slice
  },
  {
    // The paper's prompts are 82 tokens: attention then runs two rounds of 64 queries and stages
    // keys in several chunks of 32, which the short prompts above never reach.
    title: 'looped, 70-token prompts (two query rounds, three key chunks), b = 3 > T = 1',
    model: { tokens: 70, tokenSize: 2, embedSize: 8, heads: 2, loops: 3 },
    trainer: { lr: 3e-3, lossLoops: 1, epsilon: EPSILON },
    batch: 1,
  },
];

const STEPS = 10;

/** Host batches: x (R, B, T, d) and y (R, B, outputs), normal. */
function hostBatches(c: Case, outputs: number): { x: Float32Array; y: Float32Array }[] {
  const R = c.model.replicas ?? 1;
  return Array.from({ length: STEPS }, (_, i) => {
    const x = new Float32Array(R * c.batch * c.model.tokens * c.model.tokenSize);
    const y = new Float32Array(R * c.batch * outputs);
    createRng(100 + i).normals(x, 1);
    createRng(200 + i).normals(y, 1);
    return { x, y };
  });
}

/** Trains STEPS steps; the final params and every step's loss on the host. */
async function train(
  c: Case,
  trainer: Trainer,
): Promise<{ params: Record<string, Float32Array>; losses: Float32Array[]; how: string | undefined }> {
  const model = createLoopedTransformer(c.model);
  const R = model.replicas;
  let state = trainer.init(model, model.init(replicaRngs(5, R)));
  const losses: Float32Array[] = [];
  for (const b of hostBatches(c, model.outputSize)) {
    const x = tf.tensor(b.x, [R, c.batch, c.model.tokens, c.model.tokenSize]);
    const y = tf.tensor(b.y, [R, c.batch, model.outputSize]);
    const r = trainer.step(state, { x, y });
    state = r.state;
    losses.push((await r.loss.data()) as Float32Array);
    tf.dispose([x, y, r.loss]);
  }
  const params: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(state.params)) params[name] = (await t.data()) as Float32Array;
  const how = trainer.describeStep?.();
  trainer.dispose(state);
  return { params, losses, how };
}

describeEachBackend('fused looped-transformer Adam step', (backend) => {
  /** The fused step on webgpu against the generic step on cpu after STEPS steps; `around` wraps the fused run. */
  const equalsGeneric = async (c: Case, around = <T>(f: () => Promise<T>) => f()) => {
    await setupBackend('cpu');
    const reference = await train(c, createLoopedAdam(c.trainer));
    expect(reference.how).toMatch(/^generic TF\.js on cpu/);
    await setupBackend('webgpu', { kernels: LOOPED_KERNELS });
    const before = tf.memory().numTensors;
    const fused = await around(() => train(c, createLoopedAdam(c.trainer)));
    // A silent fallback would compare the generic path with itself.
    expect(fused.how).toMatch(/^fused kernel/);
    expect(tf.memory().numTensors).toBe(before);
    for (const name of Object.keys(reference.params)) {
      const got = tf.tensor(fused.params[name] as Float32Array);
      await expectClose(got, reference.params[name] as Float32Array, { atol: 5e-5, rtol: 1e-3, what: name });
      got.dispose();
    }
    for (let i = 0; i < STEPS; i++) {
      const got = tf.tensor(fused.losses[i] as Float32Array);
      await expectClose(got, reference.losses[i] as Float32Array, {
        atol: 1e-5,
        rtol: 1e-4,
        what: `loss at step ${i + 1}`,
      });
      got.dispose();
    }
  };
  for (const c of CASES)
    it.skipIf(backend !== 'webgpu')(`equals the generic TF.js step on cpu after ${STEPS} steps: ${c.title}`, () =>
      equalsGeneric(c),
    );

  // The update program's workgroups (256 floats each) on a 2-D grid, as a model past 65,535 × 256
  // floats takes on a real device. With D = 128 the update has 780 groups and every other
  // program at most 256 along an axis, so a limit of 256 puts the update alone on 4 rows.
  const wide: Case = {
    title: 'looped, D = 128 (200k parameters), 1 replica',
    model: { tokens: 2, tokenSize: 3, embedSize: 128, heads: 2, loops: 2 },
    trainer: { lr: 1e-3, lossLoops: 1, epsilon: EPSILON },
    batch: 1,
  };
  it.skipIf(backend !== 'webgpu')(`so it does with 256 workgroups per dispatch dimension: ${wide.title}`, () =>
    equalsGeneric(wide, (f) => withNarrowDispatch(256, LOOPED_KERNELS, f)),
  );

  // Adam's first steps barely depend on a gradient's size (step 1 is lr·sign(g)), so the gradient
  // itself is read off one fused step (update rule `theta = g`) and compared with the generic
  // path's on cpu: past 256 rows a replica (several rows per group), D past one 64-column pass,
  // 3 heads, mlpRatio 2, a prompt prefix, 3 replicas; and 2 blocks with 2 loss iterations.
  const gradientCases: {
    title: string;
    model: LoopedTransformerConfig;
    lossLoops: number;
    batch: number;
    points: number | null;
    /** x and y outputs of an op, in device memory alone: the kernel copies them buffer to buffer. */
    onDevice?: boolean;
  }[] = [
    {
      title: 'D = 72, 3 heads, mlpRatio 2, 3 replicas, 288 rows a replica, 4-point prefix',
      model: { tokens: 12, tokenSize: 5, embedSize: 72, heads: 3, mlpRatio: 2, loops: 3, replicas: 3 },
      lossLoops: 2,
      batch: 24,
      points: 4,
    },
    {
      // And a LayerNorm ε other than the default, which the WGSL compiles in.
      title: '2 blocks looped 3 times, T = 2, LayerNorm ε = 0.01',
      model: { tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, layers: 2, loops: 3, layerNormEpsilon: 0.01 },
      lossLoops: 2,
      batch: 2,
      points: null,
    },
    {
      // The readout the presets give single-output tasks: its own target rows and loss scale.
      title: 'last-token readout, looped b = 3 > T = 2, 3 replicas, a batch made on the device',
      model: { tokens: 7, tokenSize: 3, embedSize: 8, heads: 2, loops: 3, readout: 'last', replicas: 3 },
      lossLoops: 2,
      batch: 3,
      points: null,
      onDevice: true,
    },
  ];
  for (const g of gradientCases)
    it.skipIf(backend !== 'webgpu')(`one step's gradient equals the generic path's on cpu: ${g.title}`, async () => {
      const model = createLoopedTransformer(g.model);
      const R = model.replicas;
      const x = new Float32Array(R * g.batch * g.model.tokens * g.model.tokenSize);
      const y = new Float32Array(R * g.batch * model.outputSize);
      createRng(31).normals(x, 1);
      createRng(32).normals(y, 1);
      const xShape = [R, g.batch, g.model.tokens, g.model.tokenSize];
      const plan = { loops: model.config.loops, lossLoops: g.lossLoops, points: g.points };
      // θ₀ with N(0, 0.2²) added, as the host arrays both paths start from.
      await setupBackend('cpu');
      const before = tf.memory().numTensors;
      const init = model.init(replicaRngs(6, R));
      const theta: Record<string, { values: Float32Array; shape: number[] }> = {};
      for (const [i, [name, t]] of Object.entries(init).entries()) {
        const noise = new Float32Array(t.size);
        createRng(400 + i).normals(noise, 0.2);
        theta[name] = {
          values: ((await t.data()) as Float32Array).map((v, j) => v + (noise[j] as number)),
          shape: t.shape,
        };
      }
      tf.dispose(Object.values(init));
      const paramsOf = () =>
        Object.fromEntries(Object.entries(theta).map(([n, p]) => [n, tf.tensor(p.values, p.shape)]));
      const cpuParams = paramsOf();
      const [cx, cy] = [tf.tensor(x, xShape), tf.tensor(y, [R, g.batch, model.outputSize])];
      const generic = loopedLossAndGrads(model, cpuParams, cx, cy, plan);
      const want: Record<string, Float32Array> = {};
      for (const [name, t] of Object.entries(generic.grads)) want[name] = (await t.data()) as Float32Array;
      const wantLoss = (await generic.loss.data()) as Float32Array;
      tf.dispose([Object.values(cpuParams), Object.values(generic.grads), generic.loss, cx, cy]);

      await setupBackend('webgpu', { kernels: LOOPED_KERNELS });
      const params = paramsOf();
      const made = (v: Float32Array, shape: number[]) =>
        g.onDevice ? tf.tidy(() => tf.add(tf.tensor(v, shape), 0)) : tf.tensor(v, shape);
      const [gx, gy] = [made(x, xShape), made(y, [R, g.batch, model.outputSize])];
      const next = model.fusedStep.step({
        params,
        slots: {},
        x: gx,
        y: gy,
        plan,
        update: { slots: [], wgsl: 'theta = g;', scalars: [] },
      });
      await expectClose(next.loss, wantLoss, { atol: 1e-6, rtol: 1e-4, what: 'loss' });
      for (const [name, gradient] of Object.entries(want)) {
        // Each parameter against its own scale: one bound for all would leave small gradients unchecked.
        const scale = gradient.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        await expectClose(next.params[name] as tf.Tensor, gradient, {
          atol: 1e-6 + 1e-4 * scale,
          rtol: 1e-3,
          what: `∂${name}`,
        });
      }
      tf.dispose([Object.values(params), Object.values(next.params), Object.values(next.slots), next.loss, gx, gy]);
      expect(tf.memory().numTensors, 'tensors left').toBe(before);
    });
});

/** Normal prompts of 6 tokens, d = 3; the target at x token 2i is its first coordinate. */
function firstCoordinate(seed: number, replicas: number): Batch {
  const x = new Float32Array(replicas * 8 * 6 * 3);
  createRng(seed).normals(x, 1);
  const y = Float32Array.from(
    { length: replicas * 8 * 3 },
    (_, i) => x[(Math.floor(i / 3) * 6 + 2 * (i % 3)) * 3] as number,
  );
  return { x: tf.tensor(x, [replicas, 8, 6, 3]), y: tf.tensor(y, [replicas, 8, 3]) };
}

// The trainer contract (loss falls, save/restore mid-run continues like the uninterrupted run,
// determinism, replica independence, no leaks) with the fused step taking every step.
describeOnBackends(['webgpu'], 'looped-adam with the fused step', () => {
  beforeAll(async () => {
    await setupBackend('webgpu', { kernels: LOOPED_KERNELS });
  });
  // The contract's own trainer and model, so the check below is about what the contract runs.
  const trainerOf = () =>
    createLoopedAdam({ lr: 1e-2, lossLoops: 2, loopsStart: 2, loopsIncrement: 1, loopsInterval: 2 });
  const modelOf = (replicas: number) =>
    createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, loops: 3, replicas });
  it('takes the fused step with the contract’s trainer and model, 1 or 3 replicas (so the contract checks it, not the generic path)', () => {
    for (const replicas of [1, 3]) {
      const [trainer, model] = [trainerOf(), modelOf(replicas)];
      trainer.dispose(trainer.init(model, model.init(replicaRngs(1, replicas))));
      expect(trainer.describeStep?.(), `${replicas} replica(s)`).toMatch(
        /^fused kernel \(looped-transformer model, looped-adam\) on webgpu/,
      );
    }
  });
  it("refuses a shape past the device's binding limit in one line, making nothing", async () => {
    const [trainer, model] = [trainerOf(), modelOf(2)];
    const batch = firstCoordinate(3, 2);
    const state = trainer.init(model, model.init(replicaRngs(1, 2)));
    const before = tf.memory().numTensors;
    await withDeviceLimits({ maxStorageBufferBindingSize: 512 }, LOOPED_KERNELS, async () =>
      expect(() => trainer.step(state, batch)).toThrow(
        /^LearnabilityLoopedStep: R=2, B=8, 6 tokens, D=8, 1 layers: the buffer of its .* bytes, over this device's maxStorageBufferBindingSize 512; lower run.replicas or run.batchSize$/,
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose(state);
    tf.dispose([batch.x, batch.y]);
  });
  // Learned: held-out MSE ≤ 0.1, a tenth of Var y = 1 (measured 0.014–0.068 after 60 steps).
  describeTrainerContract(
    'looped-adam, fused, 1 block × 3 loops, T = 2, loop curriculum',
    (replicas) => ({
      trainer: trainerOf(),
      model: modelOf(replicas),
      batch: (seed) => firstCoordinate(seed, replicas),
      toy: (step) => firstCoordinate(9000 + step, replicas),
    }),
    { learnedMse: 0.1 },
  );
});
