/**
 * The RNN's scan kernels (scan.ts; wasm-scan.ts, webgpu-scan.ts) on every backend that has
 * them: both recurrences against float64 plain JS on several shapes, the differentiable states
 * and a whole RNN's loss gradient against the TF.js ops, the work of one call on webgpu, no
 * leaks, one-line refusals; and on wasm's threaded (shared) heap, in a fresh process.
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
import { createRnn } from '../rnn.js';
import { RNN_SCAN, RNN_SCAN_BACK, reluScan, reluStates, scanBack } from '../scan.js';
import { RNN_KERNELS } from './index.js';

const KERNELS = [RNN_SCAN, RNN_SCAN_BACK];
const withOpsOnly = <T>(f: () => T): T => withoutKernels(KERNELS, f);

const normals = (shape: number[], seed: number, scale = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, scale);
  return tf.tensor(v, shape);
};

/**
 * Both recurrences in float64 from their definitions (scan.ts): z_t = u_t + h_{t−1}·w_r,
 * h_t = relu(z_t); g_{T−1} = a_{T−1}, g_t = a_t + (gate_{t+1} ⊙ g_{t+1})·w_rᵀ.
 */
function reference(u: Float32Array, a: Float32Array, gate: Float32Array, w: Float32Array, [T, R, B, n]: number[]) {
  const [T_, R_, B_, n_] = [T as number, R as number, B as number, n as number];
  const step = R_ * B_ * n_;
  const at = (t: number, r: number, b: number, j: number) => t * step + (r * B_ + b) * n_ + j;
  const wAt = (r: number, k: number, j: number) => (r * n_ + k) * n_ + j;
  const [z, h, g] = [new Float64Array(T_ * step), new Float64Array(T_ * step), new Float64Array(T_ * step)];
  for (let t = 0; t < T_; t++)
    for (let r = 0; r < R_; r++)
      for (let b = 0; b < B_; b++)
        for (let j = 0; j < n_; j++) {
          let acc = u[at(t, r, b, j)] as number;
          if (t > 0)
            for (let k = 0; k < n_; k++) acc += (h[at(t - 1, r, b, k)] as number) * (w[wAt(r, k, j)] as number);
          z[at(t, r, b, j)] = acc;
          h[at(t, r, b, j)] = Math.max(acc, 0);
        }
  for (let t = T_ - 1; t >= 0; t--)
    for (let r = 0; r < R_; r++)
      for (let b = 0; b < B_; b++)
        for (let j = 0; j < n_; j++) {
          let acc = a[at(t, r, b, j)] as number;
          if (t < T_ - 1)
            for (let k = 0; k < n_; k++)
              acc +=
                (gate[at(t + 1, r, b, k)] as number) * (g[at(t + 1, r, b, k)] as number) * (w[wAt(r, j, k)] as number);
          g[at(t, r, b, j)] = acc;
        }
  return { z, h, g };
}

describeOnBackends(['wasm', 'webgpu'], 'the scan kernels', (backend) => {
  beforeAll(async () => {
    const info = await setupTestBackend(backend, { kernels: RNN_KERNELS });
    for (const name of KERNELS)
      expect(tf.getKernel(name, backend), `${name} registered (${JSON.stringify(info.kernels)})`).toBeDefined();
  });

  const shapes: [string, number[]][] = [
    ['one step, 1 replica, n = 4', [1, 1, 3, 4]],
    ['3 steps of 3 floats (under one SIMD vector)', [3, 1, 1, 3]],
    ['7 steps, 2 replicas, n = 5', [7, 2, 3, 5]],
    ['12 steps, 3 replicas of 4, n = 16', [12, 3, 4, 16]],
  ];
  /** Both recurrences of one (T, R, B, n) shape against the float64 reference, with no leaks. */
  const againstReference = async (shape: number[]) => {
    const [, R, , n] = shape as [number, number, number, number];
    const u = normals(shape, 1);
    const a = normals(shape, 2);
    // A gate of 0s and 1s, as relu′ gives, and a scaled w so 12 steps stay in range.
    const gate = tf.step(normals(shape, 3));
    const w = normals([R, n, n], 4, 1 / Math.sqrt(n));
    const [before, ids] = [tf.memory().numTensors, tf.backend().numDataIds()];
    const { z, h } = reluScan(u, w);
    const g = scanBack(a, gate, w);
    const data = async (t: tf.Tensor) => (await t.data()) as Float32Array;
    const want = reference(await data(u), await data(a), await data(gate), await data(w), shape);
    const tol = { atol: 1e-5, rtol: 1e-4 };
    await expectClose(z, Float32Array.from(want.z), { ...tol, what: 'z' });
    await expectClose(h, Float32Array.from(want.h), { ...tol, what: 'h' });
    await expectClose(g, Float32Array.from(want.g), { ...tol, what: 'g' });
    tf.dispose([z, h, g]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds(), 'data blocks left (scratch included)').toBe(ids);
    tf.dispose([u, a, gate, w]);
  };
  for (const [what, shape] of shapes)
    it(`both recurrences equal float64 plain JS (${what})`, () => againstReference(shape));

  it.skipIf(backend !== 'webgpu')(
    'so they do with 2 workgroups per dispatch dimension: 3 groups of 64 per step take a 2-D grid',
    // As a step past 65,535 × 64 floats does on a real device.
    () => withNarrowDispatch(2, RNN_KERNELS, () => againstReference([12, 3, 4, 16])),
  );

  it('a NaN pre-activation stays NaN in its state, as tf.relu keeps it (a diverged run shows)', async () => {
    const u = tf.tensor([0.5, Number.NaN, -1, 2, -0.5, 1], [1, 1, 1, 6]);
    const w = tf.zeros([1, 6, 6]);
    const { z, h } = reluScan(u, w);
    expect(Array.from(await h.data())).toEqual([0.5, Number.NaN, 0, 2, 0, 1]);
    tf.dispose([u, w, z, h]);
  });

  it('the states and their gradient (∂u, ∂w) equal the TF.js ops', async () => {
    const shape = [9, 2, 5, 6];
    const [u, w, dy] = [normals(shape, 10), normals([2, 6, 6], 11, 0.4), normals(shape, 12)];
    const before = tf.memory().numTensors;
    const f = (x: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(reluStates(x, m), dy));
    // The kernels ran, both ways: a fallback to the ops would compare the ops with themselves.
    let kernels = {} as ReturnType<ReturnType<typeof tf.valueAndGrads>>;
    const { kernelNames } = await tf.profile(() => {
      kernels = tf.valueAndGrads(f)([u, w]);
      return [];
    });
    expect(kernelNames).toEqual(expect.arrayContaining(KERNELS));
    const ops = withOpsOnly(() => tf.valueAndGrads(f)([u, w]));
    await expectClose(kernels.value, ops.value, { atol: 1e-4, rtol: 1e-5, what: 'value' });
    for (const [i, name] of ['∂u', '∂w'].entries())
      await expectClose(kernels.grads[i] as tf.Tensor, ops.grads[i] as tf.Tensor, {
        atol: 1e-5,
        rtol: 1e-4,
        what: name,
      });
    tf.dispose([kernels.value, ops.value, ...kernels.grads, ...ops.grads]);
    expect(tf.memory().numTensors, 'tensors left').toBe(before);
    tf.dispose([u, w, dy]);
  });

  it("an RNN's loss gradient with the kernels equals the one of TF.js ops, for every parameter, and the model says which ran", async () => {
    const model = createRnn({ inputSize: 3, steps: 10, width: 12, outputSize: 2, replicas: 2 });
    const params = model.init(replicaRngs(5, 2));
    const [x, target] = [normals([2, 4, 10, 3], 6), normals([2, 4, 20], 7)];
    const before = tf.memory().numTensors;
    let fused: ReturnType<typeof lossGradients> | undefined;
    const { kernelNames } = await tf.profile(() => {
      fused = lossGradients(model, params, x, target);
      return [];
    });
    expect(kernelNames).toEqual(expect.arrayContaining(KERNELS));
    const ops = withOpsOnly(() => lossGradients(model, params, x, target));
    const k = fused as ReturnType<typeof lossGradients>;
    await expectClose(k.value, ops.value, { atol: 1e-5, rtol: 1e-5, what: 'loss' });
    for (const [i, name] of ops.names.entries())
      await expectClose(k.grads[i] as tf.Tensor, ops.grads[i] as tf.Tensor, { atol: 1e-5, rtol: 1e-3, what: name });
    tf.dispose([k.value, ops.value, ...k.grads, ...ops.grads]);
    expect(tf.memory().numTensors).toBe(before);
    // Outside a gradient the forward pass keeps nothing but its output.
    model.apply(params, x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(model.describeKernels?.()).toBe(`the recurrence runs as one ${backend} kernel each way`);
    expect(withOpsOnly(() => model.describeKernels?.())).toBeNull();
    tf.dispose([params, x, target] as tf.TensorContainer);
  });

  it.skipIf(backend !== 'webgpu')(
    'run on webgpu as one submit and one pass a call, a dispatch a step, nothing read back',
    async () => {
      const shape = [6, 2, 3, 8];
      const [u, a, gate, w] = [normals(shape, 20), normals(shape, 21), normals(shape, 22), normals([2, 8, 8], 23, 0.3)];
      const both = () => {
        const { z, h } = reluScan(u, w);
        return [z, h, scanBack(a, gate, w)];
      };
      const warm = both(); // compiles the programs and uploads the inputs
      await warm[0]?.data();
      const counter = countGpuWork();
      const counted = both();
      counter.stop();
      expect(counter.counts).toEqual({ submits: 2, passes: 2, dispatches: 6 + 5, readMaps: 0 });
      for (const [i, t] of counted.entries())
        await expectClose(t, warm[i] as tf.Tensor, { atol: 0, what: `output ${i}` });
      tf.dispose([...warm, ...counted, u, a, gate, w]);
    },
  );

  it('refuse inputs outside their contract in one line', () => {
    const [u, w] = [normals([3, 2, 1, 4], 30), normals([2, 4, 4], 31)];
    const w5 = normals([2, 4, 5], 32);
    expect(() => tf.engine().runKernel(RNN_SCAN, { u, w: w5 })).toThrow(
      'LearnabilityRnnScan: expected w (R, n, n) = (2,4,4), but got (2,4,5)',
    );
    const gate = normals([3, 2, 1, 5], 33);
    expect(() => tf.engine().runKernel(RNN_SCAN_BACK, { a: u, gate, w })).toThrow(
      'LearnabilityRnnScanBack: expected gate shaped as a (3,2,1,4), but got (3,2,1,5)',
    );
    tf.dispose([u, w, w5, gate]);
  });

  it.skipIf(backend !== 'webgpu')(
    "refuse a sequence past the device's binding limit in one line, making nothing",
    async () => {
      const [u, w] = [normals([3, 2, 1, 4], 34), normals([2, 4, 4], 35)];
      const before = tf.memory().numTensors;
      await withDeviceLimits({ maxStorageBufferBindingSize: 64 }, RNN_KERNELS, async () =>
        expect(() => tf.engine().runKernel(RNN_SCAN, { u, w })).toThrow(
          "LearnabilityRnnScan: a sequence of 3 steps needs 96 bytes in one binding, over this device's maxStorageBufferBindingSize 64; lower run.batchSize or the width",
        ),
      );
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([u, w]);
    },
  );
});

describeOnBackends(['wasm'], 'the scan kernels on a threaded wasm heap', () => {
  it('compile for a shared heap (2 threads) and agree with the ops there: the states and their gradient', () => {
    // The kernels run on the calling thread, but the heap is a SharedArrayBuffer there (its views
    // behave differently when it grows), so they run once on it in a fresh process.
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { setupBackend } from '@learnability/backends';
      import { gradientGap, withoutKernels } from '@learnability/backends/testing';
      import { wasmHeap } from '@learnability/core';
      import { RNN_KERNELS } from './src/fused/index.ts';
      import { RNN_SCAN, RNN_SCAN_BACK, reluStates } from './src/scan.ts';
      const info = await setupBackend('wasm', { threads: 2, kernels: RNN_KERNELS });
      const u = tf.randomNormal([9, 2, 5, 8], 0, 1, 'float32', 1);
      const w = tf.randomNormal([2, 8, 8], 0, 0.4, 'float32', 2);
      const dy = tf.randomNormal([9, 2, 5, 8], 0, 1, 'float32', 3);
      const gap = (a, b) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      const opsOnly = (x, m) => withoutKernels([RNN_SCAN, RNN_SCAN_BACK], () => reluStates(x, m));
      const grads = await gradientGap(reluStates, opsOnly, [u, w], dy);
      process.stdout.write(JSON.stringify({
        threads: info.threads,
        shared: wasmHeap(tf.backend()).buffer instanceof SharedArrayBuffer,
        ran: grads.kernelsRan,
        states: gap(reluStates(u, w), opsOnly(u, w)),
        grads: grads.gap,
      }));
    `;
    const run = runInFreshProcess(script, fileURLToPath(new URL('../../', import.meta.url)));
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ threads: 2, shared: true });
    // Both ways by the kernels: a fallback to the ops would compare the ops with themselves.
    expect(out.ran).toEqual(expect.arrayContaining(KERNELS));
    expect(out.states).toBeLessThan(1e-5);
    // ∂u and ∂w; ∂w sums 9·5 steps of order-1 products (7.6e-6 apart here).
    expect(out.grads).toBeLessThan(1e-4);
  });
});
