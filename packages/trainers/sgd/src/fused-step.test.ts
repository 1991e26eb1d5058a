import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import {
  describeOnBackends,
  describeEachBackend,
  runInFreshProcess,
  setupTestBackend,
  withDeviceLimits,
  withNarrowDispatch,
  withoutKernels,
} from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Model } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { DENSE_KERNELS, createDense } from '@learnability/dense';
import type { DenseConfig } from '@learnability/dense';
import { describe, expect, it } from 'vitest';
import type { LossName } from './losses.js';
import { createAdam } from './adam.js';
import { ADAM_UPDATE } from './adam-update.js';
import { createSgd } from './sgd.js';
import { train } from '../test/train.js';

const tensorOf = (shape: number[], seed: number, kind: 'signs' | 'normals') => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  if (kind === 'signs') createRng(seed).signs(v);
  else createRng(seed).normals(v, 1);
  return tf.tensor(v, shape);
};

interface Case {
  title: string;
  dense: DenseConfig;
  batch: number;
  loss: LossName;
  lr: number;
  weightDecay: number;
}

const LOSSES: LossName[] = ['hinge', 'mse', 'logistic', 'correlation'];
const HIDDEN: number[][] = [[37], [21, 14], [13, 19, 9]];

/**
 * The configurations the fused step covers — each loss, 1–3 hidden layers, both
 * parameterisations, 1 and 3 replicas — as a pairwise design: every loss × depth (12 cases),
 * and across them every pair of any two factors' values (each loss and each depth with both
 * parameterisations and both replica counts, and all four of those together). The full
 * product (48) compiles 48 WGSL programs on a software adapter for no more coverage of how the
 * factors meet. Odd sizes on purpose: the wasm kernel's 8-, 4- and 1-column tiles, and the WGSL
 * kernel's partial row blocks and weight tiles, all run.
 */
const CASES: Case[] = LOSSES.flatMap((loss, li) =>
  HIDDEN.map((widths, di) => {
    const parameterization = (li + di) % 2 === 0 ? ('standard' as const) : ('ntk' as const);
    const replicas = (Math.floor(li / 2) + di + li) % 2 === 0 ? 1 : 3;
    return {
      title: `${loss}, hidden ${widths.join('×')}, ${parameterization}, ${replicas} replica(s)`,
      dense: {
        inputSize: 11,
        widths,
        replicas,
        parameterization,
        outputSize: li === 1 ? 2 : 1,
        bias: parameterization === 'ntk' ? ('unit' as const) : ('fan-in' as const),
      },
      batch: 9 + li,
      loss,
      lr: parameterization === 'ntk' ? 0.3 : 0.05,
      weightDecay: li % 2 === 0 ? 0.01 : 0,
    };
  }),
).concat({
  // Wider than a workgroup (256 threads) and than a staged chunk (256 features): the WGSL
  // kernel's column loops run more than once, which the small cases above never reach.
  title: 'hinge, hidden 300×260, standard, 1 replica (wide: columns past one workgroup)',
  dense: {
    inputSize: 11,
    widths: [300, 260],
    replicas: 1,
    parameterization: 'standard',
    outputSize: 1,
    bias: 'fan-in',
  },
  batch: 10,
  loss: 'hinge',
  lr: 0.05,
  weightDecay: 0,
});

/** Host copies of a case's batches: x (R, B, n) signs, y (R, B, out) signs or normals. */
function hostBatches(
  c: Case,
  R: number,
  out: number,
  steps: number,
): { x: Float32Array; y: Float32Array; xs: number[]; ys: number[] }[] {
  return Array.from({ length: steps }, (_, i) => {
    const xs = [R, c.batch, c.dense.inputSize];
    const ys = [R, c.batch, out];
    const x = new Float32Array(xs.reduce((a, b) => a * b, 1));
    const y = new Float32Array(ys.reduce((a, b) => a * b, 1));
    createRng(100 + i).signs(x);
    if (c.loss === 'mse') createRng(200 + i).normals(y, 1);
    else createRng(200 + i).signs(y);
    return { x, y, xs, ys };
  });
}

/** The generic TF.js step on the cpu backend: final params and every step's loss, on the host. */
async function genericOnCpu(
  c: Case,
  steps: number,
): Promise<{ params: Record<string, Float32Array>; losses: Float32Array[] }> {
  await setupBackend('cpu');
  const model = createDense(c.dense);
  const generic: Model = { ...model, fusedSgdStep: undefined };
  const trainer = createSgd({ lr: c.lr, weightDecay: c.weightDecay, loss: c.loss });
  const batches = hostBatches(c, model.replicas, model.outputSize, steps).map((b) => ({
    x: tf.tensor(b.x, b.xs),
    y: tf.tensor(b.y, b.ys),
  }));
  const run = train(trainer, generic, batches);
  expect(trainer.describeStep?.()).toMatch(/^generic TF\.js on cpu/);
  const params: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(run.state.params)) params[name] = (await t.data()) as Float32Array;
  const losses = await Promise.all(run.losses.map(async (t) => (await t.data()) as Float32Array));
  trainer.dispose(run.state);
  tf.dispose([...run.losses, ...batches.flatMap((b) => [b.x, b.y])]);
  return { params, losses };
}

const STEPS = 12;

describeEachBackend('fused dense SGD step', (backend) => {
  /**
   * The step on `backend` against the generic step on cpu, params and losses, after STEPS steps,
   * with no leaks; `around` wraps the fused run (once the backend is set up again).
   */
  const equalsGeneric = async (c: Case, around = <T>(f: () => Promise<T>) => f(), onDevice = false) => {
    const reference = await genericOnCpu(c, STEPS);
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    await around(async () => {
      const model = createDense(c.dense);
      const trainer = createSgd({ lr: c.lr, weightDecay: c.weightDecay, loss: c.loss });
      // onDevice: each batch the output of an op, so it exists only in device memory (as the
      // sampler's unpacked signs do), not as host values the kernel can write from.
      const made = (v: Float32Array, shape: number[]) =>
        onDevice ? tf.tidy(() => tf.add(tf.tensor(v, shape), 0)) : tf.tensor(v, shape);
      const batches = hostBatches(c, model.replicas, model.outputSize, STEPS).map((b) => ({
        x: made(b.x, b.xs),
        y: made(b.y, b.ys),
      }));
      const before = tf.memory().numTensors;
      const fused = train(trainer, model, batches);
      // Where a kernel exists it must really run: a silent fallback would compare the generic path with itself.
      if (backend === 'cpu') expect(trainer.describeStep?.()).toMatch(/^generic TF\.js .*no fused dense step kernel/);
      else expect(trainer.describeStep?.()).toMatch(/^fused kernel/);
      for (const name of Object.keys(reference.params)) {
        await expectClose(fused.state.params[name] as tf.Tensor, reference.params[name] as Float32Array, {
          atol: 2e-5,
          rtol: 1e-4,
          what: name,
        });
      }
      for (let i = 0; i < STEPS; i++)
        await expectClose(fused.losses[i] as tf.Tensor, reference.losses[i] as Float32Array, {
          atol: 1e-5,
          rtol: 1e-4,
          what: `loss at step ${i + 1}`,
        });
      trainer.dispose(fused.state);
      tf.dispose(fused.losses);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
    });
  };
  // On cpu there is no kernel: the comparison would be of the generic step with itself.
  for (const c of CASES)
    it.skipIf(backend === 'cpu')(`equals the generic TF.js step on cpu after ${STEPS} steps: ${c.title}`, () =>
      equalsGeneric(c),
    );
  it.runIf(backend === 'cpu')('on cpu says it has no fused kernel, and runs the generic step', async () => {
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    const model = createDense({ inputSize: 10, widths: [8] });
    const trainer = createSgd();
    trainer.dispose(trainer.init(model, model.init(replicaRngs(1, 1))));
    expect(trainer.describeStep?.()).toMatch(/^generic TF\.js on cpu: .*no fused dense step kernel/);
  });

  // The row and weight programs' workgroups on a 2-D grid, as a large model's take on a real device.
  for (const c of [CASES[1], CASES.at(-1)] as Case[])
    it.skipIf(backend !== 'webgpu')(`so it does with 2 workgroups per dispatch dimension: ${c.title}`, () =>
      equalsGeneric(c, (f) => withNarrowDispatch(2, DENSE_KERNELS, f)),
    );

  // A batch already on the GPU is copied buffer to buffer (webgpu-kernel.ts), not written from
  // the host; and 100 rows take the weight programs' batch loop past one 64-row block.
  const resident: Case = {
    title: 'mse, hidden 37×21, standard, 2 replicas, batch 100 made on the device',
    dense: {
      inputSize: 11,
      widths: [37, 21],
      replicas: 2,
      parameterization: 'standard',
      outputSize: 1,
      bias: 'fan-in',
    },
    batch: 100,
    loss: 'mse',
    lr: 0.05,
    weightDecay: 0.01,
  };
  it(`equals the generic TF.js step on cpu after ${STEPS} steps: ${resident.title}`, () =>
    equalsGeneric(resident, undefined, true));

  it("a NaN input makes its replica's loss NaN, as in the generic step, for every loss (a diverged replica shows)", async () => {
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    for (const loss of LOSSES) {
      const model = createDense({ inputSize: 6, widths: [8], replicas: 2 });
      const values = new Float32Array(2 * 4 * 6);
      createRng(3).signs(values);
      values[0] = Number.NaN; // replica 0's first example
      const batch = { x: tf.tensor(values, [2, 4, 6]), y: tensorOf([2, 4, 1], 4, 'signs') };
      const losses: Float32Array[] = [];
      for (const path of [model, { ...model, fusedSgdStep: undefined }]) {
        const trainer = createSgd({ lr: 0.1, loss });
        const r = trainer.step(trainer.init(path, model.init(replicaRngs(1, 2))), batch);
        losses.push((await r.loss.data()) as Float32Array);
        r.loss.dispose();
        trainer.dispose(r.state);
      }
      for (const [i, [nan, finite]] of losses.entries()) {
        expect(Number.isNaN(nan), `${loss}, ${i === 0 ? 'fused' : 'generic'}: replica 0`).toBe(true);
        expect(Number.isFinite(finite), `${loss}, ${i === 0 ? 'fused' : 'generic'}: replica 1`).toBe(true);
      }
      tf.dispose([batch.x, batch.y]);
    }
  });

  it("refuses a target without the output axis in the generic step's words, where the kernel runs too", async () => {
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    const model = createDense({ inputSize: 10, widths: [32], replicas: 2 });
    const trainer = createSgd({ lr: 0.1 });
    const state = trainer.init(model, model.init(replicaRngs(1, 2)));
    const batch = { x: tensorOf([2, 8, 10], 1, 'signs'), y: tensorOf([2, 8], 2, 'signs') };
    expect(() => trainer.step(state, batch)).toThrow(
      "hinge loss: the batch's y must have the predictions' shape [2, 8, 1] (replicas, batch, outputs), but got [2, 8]; give y as (R, B, out), e.g. tf.expandDims(y, -1) for one output",
    );
    trainer.dispose(state);
    tf.dispose([batch.x, batch.y]);
  });

  it('an int32 batch steps as its float32 copy does, where the kernel reads float32 only, keeping no tensor', async () => {
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    const model = createDense({ inputSize: 10, widths: [32], replicas: 2 });
    const x = tensorOf([2, 8, 10], 1, 'signs');
    const y = tensorOf([2, 8, 1], 2, 'signs');
    const [xi, yi] = [tf.cast(x, 'int32'), tf.cast(y, 'int32')];
    const losses: Float32Array[] = [];
    for (const batch of [
      { x, y },
      { x: xi, y: yi },
    ]) {
      const trainer = createSgd({ lr: 0.1 });
      const state = trainer.init(model, model.init(replicaRngs(1, 2)));
      const before = tf.memory().numTensors;
      const r = trainer.step(state, batch);
      expect(tf.memory().numTensors).toBe(before + 1); // the loss; the new params replace the old
      losses.push((await r.loss.data()) as Float32Array);
      r.loss.dispose();
      trainer.dispose(r.state);
    }
    expect(Array.from(losses[1] as Float32Array)).toEqual(Array.from(losses[0] as Float32Array));
    tf.dispose([x, y, xi, yi]);
  });

  it("reports a nearly fitted replica's logistic loss to float32 precision (the WGSL log(1 + e) read 0)", async () => {
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    const model = createDense({ inputSize: 3, widths: [4] });
    const trainer = createSgd({ lr: 0.1, loss: 'logistic' });
    // Every prediction 20 (zero weights, output bias 20) on targets +1: margin 20, loss log(1 + e⁻²⁰).
    const init = model.init(replicaRngs(1, 1));
    const params = Object.fromEntries(
      Object.entries(init).map(([name, t]) => [name, name === 'b1' ? tf.fill(t.shape, 20) : tf.zerosLike(t)]),
    );
    tf.dispose(Object.values(init));
    let state = trainer.init(model, params);
    expect(trainer.describeStep?.()).toMatch(backend === 'cpu' ? /^generic/ : /^fused kernel/);
    const batch = { x: tensorOf([1, 8, 3], 5, 'signs'), y: tf.ones([1, 8, 1]) };
    const r = trainer.step(state, batch);
    state = r.state;
    const [loss] = await r.loss.data();
    expect(loss).toBeCloseTo(Math.log1p(Math.exp(-20)), 15);
    expect((loss as number) / Math.log1p(Math.exp(-20))).toBeCloseTo(1, 4);
    tf.dispose([r.loss, batch.x, batch.y]);
    trainer.dispose(state);
  });

  it('a step keeps no tensor of its own', async () => {
    // Its own registration: run alone (-t), the kernels of the tests above would be missing.
    await setupTestBackend(backend, { kernels: DENSE_KERNELS });
    const model = createDense({ inputSize: 10, widths: [32], replicas: 2 });
    const trainer = createSgd({ lr: 0.1, weightDecay: 0.01 });
    const batch = { x: tensorOf([2, 8, 10], 1, 'signs'), y: tensorOf([2, 8, 1], 2, 'signs') };
    let state = trainer.init(model, model.init(replicaRngs(1, 2)));
    expect(trainer.describeStep?.()).toMatch(backend === 'cpu' ? /^generic/ : /^fused kernel/);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = trainer.step(state, batch);
      state = r.state;
      r.loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose(state);
    tf.dispose([batch.x, batch.y]);
  });

  it.skipIf(backend !== 'webgpu')(
    "refuses a shape past the device's binding limit in one line, making nothing",
    async () => {
      await setupTestBackend(backend, { kernels: DENSE_KERNELS });
      const model = createDense({ inputSize: 10, widths: [32], replicas: 2 });
      const trainer = createSgd({ lr: 0.1 });
      const batch = { x: tensorOf([2, 8, 10], 1, 'signs'), y: tensorOf([2, 8, 1], 2, 'signs') };
      const state = trainer.init(model, model.init(replicaRngs(1, 2)));
      const before = tf.memory().numTensors;
      await withDeviceLimits({ maxStorageBufferBindingSize: 256 }, DENSE_KERNELS, async () =>
        expect(() => trainer.step(state, batch)).toThrow(
          /^LearnabilityDenseSgdStep: R=2, B=8, sizes 10→32→1: one of its buffers needs \d+ bytes, over this device's maxStorageBufferBindingSize 256; lower run.replicas or run.batchSize$/,
        ),
      );
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose(state);
      tf.dispose([batch.x, batch.y]);
    },
  );

  it('says why it runs the generic path for what the kernel does not cover', () => {
    const gelu = createDense({ inputSize: 4, widths: [8], activation: 'gelu' });
    const sgd = createSgd();
    sgd.dispose(sgd.init(gelu, gelu.init(replicaRngs(1, 1))));
    expect(sgd.describeStep?.()).toMatch(
      /generic TF\.js on \w+: the fused step covers ReLU MLPs, not activation "gelu"/,
    );
    const relu = createDense({ inputSize: 4, widths: [8] });
    const momentum = createSgd({ momentum: 0.9 });
    momentum.dispose(momentum.init(relu, relu.init(replicaRngs(1, 1))));
    expect(momentum.describeStep?.()).toMatch(
      /sgd has no fused step \(plain SGD with momentum 0 has one for the dense MLP, looped-adam for the looped transformer\)$/,
    );
    // A model whose generic step runs parts as backend kernels says so after the reason.
    const withKernels = { ...relu, describeKernels: () => 'the gated update runs as a wasm kernel' };
    // (Adam's own update kernel, where another test file registered it, is left out.)
    const adam = createAdam();
    adam.dispose(adam.init(withKernels, relu.init(replicaRngs(1, 1))));
    expect(withoutKernels([ADAM_UPDATE], () => adam.describeStep?.())).toMatch(
      /^generic TF\.js on \w+: adam has no fused step \(plain SGD with momentum 0 has one for the dense MLP, looped-adam for the looped transformer\); the gated update runs as a wasm kernel$/,
    );
  });
});

describe('fused step contract', () => {
  it('a trainer that was never initialised says so', () => {
    expect(createSgd().describeStep?.()).toBe('not initialised');
  });
});

describeOnBackends(['wasm'], 'the fused dense step with 2 threads', () => {
  it("splits the step across a worker and the main thread, and equals the generic TF.js path's 20 steps", () => {
    // setupTestBackend forces 1 thread, so this runs in a fresh process with 2. The thread chooser
    // tries both ways in turn over the first steps (thread-chooser.ts); its record() counts the
    // steps that took the split plan, which runs chunks on the worker once it is ready.
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { setupBackend } from '@learnability/backends';
      import { withoutKernels } from '@learnability/backends/testing';
      import { createRng, replicaRngs } from '@learnability/core';
      import { DENSE_KERNELS, DENSE_SGD_STEP, createDense } from '@learnability/dense';
      import { wasmHeap } from '@learnability/core';
      import { ThreadChooser } from '../../models/dense/src/fused/wasm/thread-chooser.ts';
      import { stepThreadsReady } from '../../models/dense/src/fused/wasm/wasm-kernel.ts';
      import { createSgd } from './src/sgd.ts';
      let threadedSteps = 0;
      const record = ThreadChooser.prototype.record;
      ThreadChooser.prototype.record = function (shape, threaded, micros) {
        if (threaded) threadedSteps++;
        return record.call(this, shape, threaded, micros);
      };
      const info = await setupBackend('wasm', { threads: 2, kernels: DENSE_KERNELS });
      // The worker starts in the background: wait for it (up to 20 s on a loaded machine).
      for (let waited = 0; !stepThreadsReady(wasmHeap(tf.backend())) && waited < 20_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      const ready = stepThreadsReady(wasmHeap(tf.backend()));
      const signs = (shape, seed) => {
        const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
        createRng(seed).signs(v);
        return tf.tensor(v, shape);
      };
      const results = [];
      for (const [config, B] of [
        [{ inputSize: 50, widths: [100], replicas: 1 }, 32],
        [{ inputSize: 5, widths: [16, 9], outputSize: 2, replicas: 6 }, 7],
      ]) {
        const model = createDense(config);
        const R = config.replicas;
        const batches = Array.from({ length: 20 }, (_, i) => ({
          x: signs([R, B, config.inputSize], 100 + i),
          y: signs([R, B, config.outputSize ?? 1], 200 + i),
        }));
        const train = () => {
          const trainer = createSgd({ lr: 0.05, loss: 'mse' });
          let state = trainer.init(model, model.init(replicaRngs(7, R)));
          const losses = [];
          for (const b of batches) {
            const r = trainer.step(state, b);
            state = r.state;
            losses.push(...r.loss.dataSync());
            r.loss.dispose();
          }
          const params = Object.values(state.params).flatMap((t) => Array.from(t.dataSync()));
          const step = trainer.describeStep();
          trainer.dispose(state);
          return { params, losses, step };
        };
        const before = threadedSteps;
        const fused = train();
        const threaded = threadedSteps - before;
        const generic = withoutKernels([DENSE_SGD_STEP], train);
        // Worst |a − b| over atol 2e-5 + rtol 1e-4: at most 1 where they agree.
        const gap = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / (2e-5 + 1e-4 * Math.abs(b[i]))));
        results.push({ threaded, fused: fused.step, generic: generic.step, params: gap(fused.params, generic.params), losses: gap(fused.losses, generic.losses) });
      }
      process.stdout.write(JSON.stringify({ threads: info.threads, ready, results }));
    `;
    const run = runInFreshProcess(script, fileURLToPath(new URL('../', import.meta.url)));
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as {
      threads: number;
      ready: boolean;
      results: { threaded: number; fused: string; generic: string; params: number; losses: number }[];
    };
    expect(out.threads).toBe(2);
    // The worker took part: ready before the first step, so every threaded step ran chunks on it.
    expect(out.ready, 'the step worker started').toBe(true);
    for (const [i, r] of out.results.entries()) {
      expect(r.fused, `shape ${i}`).toMatch(/^fused kernel/);
      expect(r.generic, `shape ${i}`).toMatch(/^generic TF\.js on wasm/);
      expect(r.threaded, `shape ${i}: steps the split plan ran`).toBeGreaterThan(0);
      expect(r.params, `shape ${i}: parameters after 20 steps`).toBeLessThanOrEqual(1);
      expect(r.losses, `shape ${i}: every step's loss`).toBeLessThanOrEqual(1);
    }
  });
});
