/**
 * The wasm gated-update kernels (gate-kernels.ts, gate-routines.ts): against float64 plain JS
 * from both tails of σ and tanh through 0, against the same update composed of TF.js ops
 * (gated-update.ts) on the same backend; on a threaded heap and inside a whole RCNN's loss
 * gradient in ../unroll-kernels.test.ts. The kernels exist on wasm only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeOnBackends, setupTestBackend, withoutKernels } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { beforeAll, expect, it } from 'vitest';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD } from '../../fused-unroll.js';
import { GATED_UPDATE, GATED_UPDATE_GRAD, gatedUpdate, gatedUpdateFromOps } from '../../gated-update.js';
import { createRcnn } from '../../rcnn.js';
import { RCNN_KERNELS } from '../index.js';

const GATE_KERNELS = [GATED_UPDATE, GATED_UPDATE_GRAD];
const UNROLL_KERNELS = [RCNN_UNROLL, RCNN_UNROLL_GRAD];

const normals = (shape: number[], seed: number, scale = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, scale);
  return tf.tensor(v, shape);
};

/** Runs `f` with the unroll kernels unregistered, so a model's steps use the gate kernels (step.ts). */
const withGateKernelsOnly = <T>(f: () => T): T => withoutKernels(UNROLL_KERNELS, f);
/** Runs `f` with none of the RCNN's kernels, so gatedUpdate composes TF.js ops. */
const withOpsOnly = <T>(f: () => T): T => withoutKernels([...UNROLL_KERNELS, ...GATE_KERNELS], f);

/** The update and its gradients against dy in float64, cell by cell: s (cells·C), z (cells·2C). */
function reference(s: Float32Array, z: Float32Array, dy: Float32Array, C: number) {
  const [y, ds, dz] = [new Float64Array(s.length), new Float64Array(s.length), new Float64Array(z.length)];
  for (let i = 0; i < s.length; i++) {
    const [cell, c] = [Math.floor(i / C), i % C];
    const [a, zu] = [z[cell * 2 * C + c] as number, z[cell * 2 * C + C + c] as number];
    const [u, t, si, g] = [1 / (1 + Math.exp(-zu)), Math.tanh(a), s[i] as number, dy[i] as number];
    y[i] = si + u * (t - si);
    ds[i] = g * (1 - u);
    dz[cell * 2 * C + c] = g * u * (1 - t * t);
    dz[cell * 2 * C + C + c] = g * (t - si) * u * (1 - u);
  }
  return { y, ds, dz };
}

describeOnBackends(['wasm'], 'the gated-update kernels', () => {
  beforeAll(async () => {
    const info = await setupTestBackend('wasm', { kernels: RCNN_KERNELS });
    for (const name of GATE_KERNELS)
      expect(tf.getKernel(name, 'wasm'), `${name} registered (${JSON.stringify(info.kernels)})`).toBeDefined();
  });

  for (const C of [4, 8, 16])
    it(`equal float64 plain JS, value and ∂s, ∂z, from both tails of σ and tanh through 0 (C = ${C})`, async () => {
      // a and z_u run over both tails (σ and tanh saturate; e^(−|z_u|) underflows past 87) and through 0.
      const tails = [-200, -90, -30, -9, -2, -0.5, -1e-3, 0, 1e-3, 0.5, 2, 9, 30, 90, 200];
      const cells = 3 * tails.length;
      const zv = new Float32Array(cells * 2 * C);
      createRng(C).normals(zv, 2);
      for (let i = 0; i < zv.length; i++) if (i % 3 === 0) zv[i] = tails[(i / 3) % tails.length] as number;
      const [s, dy] = [normals([cells, 1, 1, C], 1) as tf.Tensor4D, normals([cells, 1, 1, C], 2)];
      const z = tf.tensor4d(zv, [cells, 1, 1, 2 * C]);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(gatedUpdate(a as tf.Tensor4D, b as tf.Tensor4D), dy)),
      )([s, z]);
      const y = gatedUpdate(s, z);
      const want = reference((await s.data()) as Float32Array, zv, (await dy.data()) as Float32Array, C);
      const tol = { atol: 1e-6, rtol: 1e-5 };
      await expectClose(y, Float32Array.from(want.y), { ...tol, what: 'y' });
      await expectClose(grads[0] as tf.Tensor, Float32Array.from(want.ds), { ...tol, what: '∂s' });
      await expectClose(grads[1] as tf.Tensor, Float32Array.from(want.dz), { ...tol, what: '∂z' });
      tf.dispose([value, y, ...grads]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([s, z, dy]);
    });

  it('equal the update of TF.js ops, value and gradient, on an RCNN-sized state; C not a multiple of 4 takes the ops', async () => {
    const [s, z, dy] = [
      normals([64, 1, 32, 8], 3),
      normals([64, 1, 32, 16], 4, 3),
      normals([64, 1, 32, 8], 5),
    ] as tf.Tensor4D[] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const run = (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) =>
      tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), dy)))([
        s,
        z,
      ]);
    const before = tf.memory().numTensors;
    // The kernels ran, both ways: a fallback to the ops would compare the ops with themselves.
    let fused = {} as ReturnType<typeof run>;
    const profiled = await tf.profile(() => {
      fused = run(gatedUpdate);
      return [fused.value, ...fused.grads];
    });
    expect(profiled.kernelNames).toEqual(expect.arrayContaining([GATED_UPDATE, GATED_UPDATE_GRAD]));
    const ops = run(gatedUpdateFromOps);
    const tol = { atol: 1e-6, rtol: 1e-5 };
    await expectClose(fused.value, ops.value, { atol: 1e-4, rtol: 1e-5, what: 'Σ y⊙dy' });
    for (const i of [0, 1])
      await expectClose(fused.grads[i] as tf.Tensor, ops.grads[i] as tf.Tensor, { ...tol, what: `∂input ${i}` });
    tf.dispose([fused.value, ops.value, ...fused.grads, ...ops.grads]);
    expect(tf.memory().numTensors).toBe(before);
    // C = 3: the ops, with the kernels registered; the kernel itself refuses it in one line.
    const [s3, z3] = [normals([2, 1, 4, 3], 6), normals([2, 1, 4, 6], 7)] as tf.Tensor4D[] as [
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    await expectClose(gatedUpdate(s3, z3), gatedUpdateFromOps(s3, z3), { ...tol, what: 'C = 3' });
    expect(() => tf.engine().runKernel(GATED_UPDATE, { s: s3, z: z3 })).toThrow(
      'LearnabilityRcnnGatedUpdate: expected s (…, C) with C a multiple of 4, but got s (2,1,4,3)',
    );
    tf.dispose([s, z, dy, s3, z3]);
  });

  it('the model names the kernel for the training-step line while it runs, and not without it', () => {
    const model = createRcnn({ inputShape: [12], channels: 8 });
    expect(withGateKernelsOnly(() => model.describeKernels?.())).toBe('the gated update runs as a wasm kernel');
    expect(withOpsOnly(() => model.describeKernels?.())).toBeNull();
    expect(createRcnn({ inputShape: [12], channels: 6 }).describeKernels?.()).toBeNull();
    expect(createRcnn({ inputShape: [12], update: 'residual' }).describeKernels?.()).toBeNull();
  });
});
