/**
 * The unroll kernels on every backend that has them (wasm/unroll-kernels.ts, webgpu/
 * unroll-kernels.ts): against float64 plain JS (value, ∂s_0, ∂inj, ∂w over several steps) on
 * grids and filters of several shapes, against the steps composed of TF.js ops (step.ts) on an
 * rcnn-parity-sized state, inside whole RCNNs' loss gradients (plain and checkpointed unrolls);
 * on wasm also on a threaded heap.
 */
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  describeOnBackends,
  countGpuWork,
  runInFreshProcess,
  setupTestBackend,
  withDeviceLimits,
  withNarrowDispatch,
  withoutKernels,
} from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { expectClose, lossGradients } from '@learnability/core/testing';
import { beforeAll, expect, it } from 'vitest';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD, fusedUnroll } from '../fused-unroll.js';
import { GATED_UPDATE, GATED_UPDATE_GRAD } from '../gated-update.js';
import { createRcnn } from '../rcnn.js';
import { replicaFilters } from '../replica-conv.js';
import { recurrentStep } from '../step.js';
import { RCNN_KERNELS } from './index.js';
import { unrollReference } from '../../test/unroll-reference.js';
import type { Dims } from '../../test/unroll-reference.js';

const UNROLL_KERNELS = [RCNN_UNROLL, RCNN_UNROLL_GRAD];
/** Runs `f` with none of the RCNN's kernels, so every step composes TF.js ops. */
const withOpsOnly = <T>(f: () => T): T => withoutKernels([...UNROLL_KERNELS, GATED_UPDATE, GATED_UPDATE_GRAD], f);
/** Runs `f` with the unroll kernels unregistered, so the steps compose ops around the gate kernels. */
const withGateKernelsOnly = <T>(f: () => T): T => withoutKernels(UNROLL_KERNELS, f);

/** Expects a value and its gradients, computed two ways, to agree: the value to `valueAtol`, each gradient to atol 1e-5, rtol 1e-3. */
async function expectAgree(
  a: { value: tf.Tensor; grads: tf.Tensor[] },
  b: { value: tf.Tensor; grads: tf.Tensor[] },
  names: readonly string[],
  valueAtol: number,
) {
  await expectClose(a.value, b.value, { atol: valueAtol, rtol: 1e-5, what: 'value' });
  for (const [i, name] of names.entries())
    await expectClose(a.grads[i] as tf.Tensor, b.grads[i] as tf.Tensor, { atol: 1e-5, rtol: 1e-3, what: name });
}

const normals = (shape: number[], seed: number, scale = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, scale);
  return tf.tensor(v, shape);
};

/** Σ steps(s, inj, w)⊙dy and its gradients by `steps` (the kernels, or the ops). */
function stepGradients(
  step: (s: tf.Tensor4D, inj: tf.Tensor4D, w: tf.Tensor) => tf.Tensor4D,
  inputs: { s: tf.Tensor4D; inj: tf.Tensor4D; w: tf.Tensor },
  dy: tf.Tensor,
) {
  const f = (s: tf.Tensor, inj: tf.Tensor, w: tf.Tensor) =>
    tf.sum(tf.mul(step(s as tf.Tensor4D, inj as tf.Tensor4D, w), dy));
  return tf.valueAndGrads(f)([inputs.s, inputs.inj, inputs.w]);
}

/** `count` steps of step.ts's ops with the filter split per replica, as `unroll` composes them without the kernels. */
const stepsOfOps =
  (count: number) =>
  (s: tf.Tensor4D, inj: tf.Tensor4D, w: tf.Tensor): tf.Tensor4D =>
    tf.tidy(() => {
      const filters = replicaFilters(w);
      let state = s;
      for (let t = 0; t < count; t++) state = recurrentStep('gated', 1, state, inj, filters).state;
      return state;
    });

const fused = (count: number) => (s: tf.Tensor4D, inj: tf.Tensor4D, w: tf.Tensor) => fusedUnroll(s, inj, w, count);

const randomStep = (d: Dims, seed: number) => ({
  s: normals([d.R * d.B, d.H, d.W, d.C], seed) as tf.Tensor4D,
  inj: normals([d.R * d.B, d.H, d.W, 2 * d.C], seed + 1, 2) as tf.Tensor4D,
  w: normals([d.R, d.kh, d.kw, d.C, 2 * d.C], seed + 2, 0.5),
});

describeOnBackends(['wasm', 'webgpu'], 'the unroll kernels', (backend) => {
  beforeAll(async () => {
    const info = await setupTestBackend(backend, { kernels: RCNN_KERNELS });
    for (const name of UNROLL_KERNELS)
      expect(tf.getKernel(name, backend), `${name} registered (${JSON.stringify(info.kernels)})`).toBeDefined();
  });

  const shapes: [string, Dims][] = [
    ['2 replicas, a 1×7 grid, a 1×3 filter, C = 4', { R: 2, B: 3, H: 1, W: 7, C: 4, kh: 1, kw: 3 }],
    ['1 replica, a 5×4 grid, a 3×3 filter, C = 8', { R: 1, B: 2, H: 5, W: 4, C: 8, kh: 3, kw: 3 }],
    ['3 replicas, a 3×5 grid, a 3×1 filter, C = 4', { R: 3, B: 1, H: 3, W: 5, C: 4, kh: 3, kw: 1 }],
    ['2 replicas, a 2×2 grid, a 3×5 filter wider than the grid, C = 4', { R: 2, B: 2, H: 2, W: 2, C: 4, kh: 3, kw: 5 }],
  ];
  /** Value and gradients of 1 and 3 steps on `d` against the float64 reference, with no leaks. */
  const againstReference = async (d: Dims) => {
    const inputs = randomStep(d, 20);
    const dy = normals([d.R * d.B, d.H, d.W, d.C], 23);
    const data = async (t: tf.Tensor) => (await t.data()) as Float32Array;
    const [s, inj, w, g] = (await Promise.all([inputs.s, inputs.inj, inputs.w, dy].map(data))) as Float32Array[];
    const [before, ids] = [tf.memory().numTensors, tf.backend().numDataIds()];
    for (const steps of [1, 3]) {
      const { value, grads } = stepGradients(fused(steps), inputs, dy);
      const y = fusedUnroll(inputs.s, inputs.inj, inputs.w, steps); // no tape: nothing kept
      const want = unrollReference(
        s as Float32Array,
        inj as Float32Array,
        w as Float32Array,
        g as Float32Array,
        d,
        steps,
      );
      const tol = { atol: 1e-5, rtol: 1e-4 };
      await expectClose(y, Float32Array.from(want.y), { ...tol, what: `y, ${steps} steps` });
      await expectClose(grads[0] as tf.Tensor, Float32Array.from(want.ds), {
        ...tol,
        what: `∂s_0, ${steps} steps`,
      });
      await expectClose(grads[1] as tf.Tensor, Float32Array.from(want.dinj), {
        ...tol,
        what: `∂inj, ${steps} steps`,
      });
      await expectClose(grads[2] as tf.Tensor, Float32Array.from(want.dw), { ...tol, what: `∂w, ${steps} steps` });
      tf.dispose([value, y, ...grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds(), 'data blocks left on the heap (scratch included)').toBe(ids);
    tf.dispose([inputs.s, inputs.inj, inputs.w, dy]);
  };
  for (const [what, d] of shapes)
    it(`equal float64 plain JS over 1 and 3 steps, value and ∂s_0, ∂inj, ∂w, with and without a tape (${what})`, () =>
      againstReference(d));

  it.skipIf(backend !== 'webgpu')(
    'so they do with 2 workgroups per dispatch dimension: 5 groups of 64 on a 2-D grid, as a large state takes on a real device',
    () => withNarrowDispatch(2, RCNN_KERNELS, () => againstReference(shapes[1]?.[1] as Dims)),
  );

  it('equal 5 steps of TF.js ops, value and gradients, on an rcnn-parity-sized state (2 × 32 prompts, 1×32, C = 8)', async () => {
    const d = { R: 2, B: 32, H: 1, W: 32, C: 8, kh: 1, kw: 3 };
    const inputs = randomStep(d, 30);
    const dy = normals([64, 1, 32, 8], 33);
    const [before, ids] = [tf.memory().numTensors, tf.backend().numDataIds()];
    const kernels = stepGradients(fused(5), inputs, dy);
    const ops = withOpsOnly(() => stepGradients(stepsOfOps(5), inputs, dy));
    await expectAgree(kernels, ops, ['∂s_0', '∂inj', '∂w'], 1e-3);
    tf.dispose([kernels.value, ops.value, ...kernels.grads, ...ops.grads]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds(), 'data blocks left on the heap (scratch included)').toBe(ids);
    // Outside a gradient the kernel keeps no step: it leaves one block, s_5, of s_5's bytes (on
    // webgpu the engine's scratch is not TF.js's, so only the kept tensors can be seen here).
    const bytes = tf.memory().numBytes;
    const y = fusedUnroll(inputs.s, inputs.inj, inputs.w, 5);
    expect(tf.memory().numBytes - bytes).toBe(64 * 32 * 8 * 4);
    expect(tf.backend().numDataIds()).toBe(ids + 1);
    tf.dispose([y, inputs.s, inputs.inj, inputs.w, dy]);
  });

  it('keep a checkpointed unroll (T = 64, segments of 8) under half the peak of a plain one', async () => {
    const base = { inputShape: [4, 4], channels: 4, depth: 64 } as const;
    const params = createRcnn({ ...base, checkpointEvery: 0 }).init(replicaRngs(1, 1));
    const [x, target] = [normals([1, 4, 4, 4], 2), normals([1, 4, 1], 3)];
    const peak = async (checkpointEvery: number) => {
      const { peakBytes, kernelNames } = await tf.profile(() => {
        const g = lossGradients(createRcnn({ ...base, checkpointEvery }), params, x, target);
        tf.dispose([g.value, ...g.grads]);
        return [];
      });
      expect(kernelNames).toContain(RCNN_UNROLL_GRAD);
      return peakBytes;
    };
    const [plain, checkpointed] = [await peak(0), await peak(8)];
    expect(checkpointed).toBeLessThan(0.5 * plain);
    tf.dispose([params, x, target] as tf.TensorContainer);
  });

  it.skipIf(backend !== 'webgpu')(
    'run on webgpu as one submit and one pass each way: a dispatch per step forward, two per step back, nothing read back',
    async () => {
      const d = { R: 2, B: 4, H: 3, W: 5, C: 4, kh: 3, kw: 3 };
      const { s, inj, w } = randomStep(d, 50);
      const dy = normals([d.R * d.B, d.H, d.W, d.C], 53);
      const steps = 6;
      const run = (name: string, inputs: Record<string, tf.Tensor>, attrs = {}) =>
        tf.engine().runKernel(name, inputs, attrs) as tf.Tensor[];
      const both = () => {
        const [last, states, gates, candidates] = run(RCNN_UNROLL, { s, inj, w }, { steps, keep: true });
        const kept = { states, gates, candidates } as Record<string, tf.Tensor>;
        return [last, ...Object.values(kept), ...run(RCNN_UNROLL_GRAD, { ...kept, dy, w })] as tf.Tensor[];
      };
      const warm = both(); // compiles the programs, uploads the inputs and the step indices
      await warm[0]?.data();
      const counter = countGpuWork();
      const counted = both();
      counter.stop();
      expect(counter.counts).toEqual({ submits: 2, passes: 2, dispatches: 3 * steps, readMaps: 0 });
      for (const [i, t] of counted.entries())
        await expectClose(t, warm[i] as tf.Tensor, { atol: 0, what: `output ${i}` });
      tf.dispose([...warm, ...counted, s, inj, w, dy]);
    },
  );

  it("keep a NaN where the ops keep it: a diverged replica's state stays NaN, the others untouched", async () => {
    const d: Dims = { R: 2, B: 1, H: 1, W: 4, C: 4, kh: 1, kw: 3 };
    // A NaN in replica 0 alone, in the candidate's channel (0) or the gate's (C): its injection
    // at one cell, or one of its filter's taps. The gate's alone tests σ's NaN; the candidate's, tanh's.
    for (const [where, channel] of [
      ['inj', 0],
      ['inj', d.C],
      ['w', 0],
      ['w', d.C],
    ] as const) {
      const inputs = randomStep(d, 40);
      const poisoned = tf.tidy(() => {
        const t = inputs[where];
        const mask = tf.buffer(t.shape, 'float32');
        mask.set(Number.NaN, ...t.shape.map((_, i) => (i === t.rank - 1 ? channel : 0)));
        return tf.add(t, mask.toTensor());
      });
      const poison = { ...inputs, [where]: poisoned };
      const [got, want] = [
        fusedUnroll(poison.s, poison.inj as tf.Tensor4D, poison.w, 2),
        withOpsOnly(() => stepsOfOps(2)(poison.s, poison.inj as tf.Tensor4D, poison.w)),
      ];
      const [g, w] = [(await got.data()) as Float32Array, (await want.data()) as Float32Array];
      expect(Array.from(g, Number.isNaN), `NaN pattern, NaN in ${where}[…, ${channel}]`).toEqual(
        Array.from(w, Number.isNaN),
      );
      expect(w.some(Number.isNaN), `the ops give NaN (NaN in ${where}[…, ${channel}])`).toBe(true);
      const finite = (v: Float32Array) => v.map((x) => (Number.isNaN(x) ? 0 : x));
      await expectClose(tf.tensor(finite(g)), finite(w), {
        atol: 1e-5,
        rtol: 1e-4,
        what: `finite entries, NaN in ${where}[…, ${channel}]`,
      });
      tf.dispose([got, want, poisoned, inputs.s, inputs.inj, inputs.w]);
    }
  });

  it('refuse inputs outside their contract in one line', () => {
    const { s, inj, w } = randomStep({ R: 2, B: 1, H: 1, W: 4, C: 4, kh: 1, kw: 3 }, 40);
    const run =
      (inputs: Record<string, tf.Tensor>, steps = 2) =>
      () =>
        tf.engine().runKernel(RCNN_UNROLL, inputs, { steps, keep: false });
    const s3 = normals([2, 1, 4, 3], 41);
    expect(run({ s: s3, inj, w })).toThrow(
      'LearnabilityRcnnUnroll: expected s (R·B, H, W, C) with C a multiple of 4, but got (2,1,4,3)',
    );
    const even = normals([2, 1, 2, 4, 8], 42);
    expect(run({ s, inj, w: even })).toThrow(
      'LearnabilityRcnnUnroll: expected w (R, kh, kw, C, 2C) with odd sides and R dividing 2, C = 4, but got (2,1,2,4,8)',
    );
    expect(run({ s, inj: s, w })).toThrow('LearnabilityRcnnUnroll: expected inj shaped (2,1,4,8), but got (2,1,4,4)');
    expect(run({ s, inj, w }, 0)).toThrow('LearnabilityRcnnUnroll: expected steps an integer ≥ 1, but got 0');
    const grad = () => tf.engine().runKernel(RCNN_UNROLL_GRAD, { states: s, gates: s, candidates: s, dy: s, w });
    expect(grad).toThrow(
      'LearnabilityRcnnUnrollGrad: expected states (steps, R·B, H, W, C) with C a multiple of 4, but got (1,4,4)',
    );
    tf.dispose([s, inj, w, s3, even]);
  });

  it.skipIf(backend !== 'webgpu')(
    "refuse an unroll past the device's binding limit in one line, making nothing",
    async () => {
      const { s, inj, w } = randomStep({ R: 2, B: 1, H: 1, W: 4, C: 4, kh: 1, kw: 3 }, 43);
      const before = tf.memory().numTensors;
      await withDeviceLimits({ maxStorageBufferBindingSize: 64 }, RCNN_KERNELS, async () =>
        expect(() => tf.engine().runKernel(RCNN_UNROLL, { s, inj, w }, { steps: 2, keep: false })).toThrow(
          /^LearnabilityRcnnUnroll: .* needs \d+ bytes in one binding, over this device's maxStorageBufferBindingSize 64; checkpoint the unroll in shorter segments \(model.checkpointEvery\) or lower run.batchSize$/,
        ),
      );
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([s, inj, w]);
    },
  );

  it('the model names the fused unroll for the training-step line while it runs, and not without it', () => {
    const model = createRcnn({ inputShape: [12], channels: 8 });
    expect(model.describeKernels?.()).toBe(
      `the recurrent steps (convolution and gated update) run as one ${backend} kernel each way`,
    );
    expect(withOpsOnly(() => model.describeKernels?.())).toBeNull();
    expect(createRcnn({ inputShape: [12], channels: 6 }).describeKernels?.()).toBeNull();
  });

  it("an RCNN's loss gradient with the unroll kernels, and (wasm) with the gate kernels alone, equals the one of TF.js ops, for every parameter: direct, in-context, checkpointed", async () => {
    for (const [model, x] of [
      [createRcnn({ inputShape: [12], channels: 8, replicas: 2 }), normals([2, 4, 12], 8)],
      [createRcnn({ inputShape: [5, 4], channels: 4, depth: 12, replicas: 1 }), normals([1, 3, 5, 4], 9)],
      [
        createRcnn({ inputShape: [9], channels: 4, depth: 17, checkpointEvery: 5, replicas: 2 }),
        normals([2, 3, 9], 12),
      ],
    ] as const) {
      const params = model.init(replicaRngs(10, model.replicas));
      const target = normals([model.replicas, x.shape[1] as number, 1], 11);
      const before = tf.memory().numTensors;
      const gradients = () => lossGradients(model, params, x, target);
      const ops = withOpsOnly(gradients);
      // Each way's gradient, and the kernels it ran (which must include its own and not the others').
      const profiled = async (run: <T>(f: () => T) => T) => {
        let out: ReturnType<typeof gradients> | undefined;
        const { kernelNames } = await tf.profile(() => {
          out = run(gradients);
          return [];
        });
        return { ...(out as ReturnType<typeof gradients>), kernelNames };
      };
      // The gate kernels exist on wasm only.
      const ways = [
        { ran: RCNN_UNROLL_GRAD, not: GATED_UPDATE_GRAD, grads: await profiled((f) => f()) },
        ...(backend === 'wasm'
          ? [{ ran: GATED_UPDATE_GRAD, not: RCNN_UNROLL_GRAD, grads: await profiled(withGateKernelsOnly) }]
          : []),
      ];
      for (const { ran, not, grads } of ways) {
        expect(grads.kernelNames).toContain(ran);
        expect(grads.kernelNames).not.toContain(not);
        await expectAgree(grads, ops, grads.names, 1e-6);
        tf.dispose([grads.value, ...grads.grads]);
      }
      tf.dispose([ops.value, ...ops.grads]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([params, x, target] as tf.TensorContainer);
    }
  });
});

describeOnBackends(['wasm'], "the RCNN's kernels on a threaded wasm heap", () => {
  it('compile for a shared heap (2 threads) and agree with the ops there: the unroll and the gate alone, values and gradients', () => {
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { setupBackend } from '@learnability/backends';
      import { gradientGap } from '@learnability/backends/testing';
      import { wasmHeap } from '@learnability/core';
      import { RCNN_KERNELS } from './src/fused/index.ts';
      import { fusedUnroll } from './src/fused-unroll.ts';
      import { gatedUpdate, gatedUpdateFromOps } from './src/gated-update.ts';
      import { replicaConv, replicaFilters } from './src/replica-conv.ts';
      const info = await setupBackend('wasm', { threads: 2, kernels: RCNN_KERNELS });
      const s = tf.randomNormal([8, 3, 5, 8], 0, 1, 'float32', 1);
      const inj = tf.randomNormal([8, 3, 5, 16], 0, 2, 'float32', 2);
      const w = tf.randomNormal([2, 3, 3, 8, 16], 0, 0.5, 'float32', 3);
      const step = (x) => gatedUpdateFromOps(x, tf.add(replicaConv(x, replicaFilters(w)), inj));
      const z = tf.randomNormal([8, 3, 5, 16], 0, 3, 'float32', 4);
      const gap = (a, b) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      const dy = tf.randomNormal([8, 3, 5, 8], 0, 1, 'float32', 5);
      const twoSteps = (x, i, m) => {
        const one = (y) => gatedUpdateFromOps(y, tf.add(replicaConv(y, replicaFilters(m)), i));
        return one(one(x));
      };
      // ∂ of Σ f(inputs) ⊙ dy by the kernels against the ops, and the kernels the first ran.
      const unrollGrad = await gradientGap((x, i, m) => fusedUnroll(x, i, m, 2), twoSteps, [s, inj, w], dy);
      const gateGrad = await gradientGap(gatedUpdate, gatedUpdateFromOps, [s, z], dy);
      process.stdout.write(JSON.stringify({
        threads: info.threads,
        shared: wasmHeap(tf.backend()).buffer instanceof SharedArrayBuffer,
        registered: info.kernels.filter((k) => k.registered).map((k) => k.kernel),
        unrollGap: gap(fusedUnroll(s, inj, w, 2), step(step(s))),
        gateGap: gap(gatedUpdate(s, z), gatedUpdateFromOps(s, z)),
        unrollGradGap: unrollGrad.gap,
        gateGradGap: gateGrad.gap,
        ran: [...unrollGrad.kernelsRan, ...gateGrad.kernelsRan],
      }));
    `;
    const run = runInFreshProcess(script, fileURLToPath(new URL('../../', import.meta.url)));
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ threads: 2, shared: true });
    expect(out.registered).toEqual(expect.arrayContaining([...UNROLL_KERNELS, GATED_UPDATE, GATED_UPDATE_GRAD]));
    expect(out.unrollGap).toBeLessThan(1e-5);
    expect(out.gateGap).toBeLessThan(1e-6);
    // The gradients by their kernels (∂w sums 2·8·3·5 positions of order-1 terms; 4.8e-6 apart here).
    expect(out.ran).toEqual(expect.arrayContaining([...UNROLL_KERNELS, GATED_UPDATE, GATED_UPDATE_GRAD]));
    expect(out.unrollGradGap).toBeLessThan(1e-4);
    expect(out.gateGradGap).toBeLessThan(1e-5);
  });
});
