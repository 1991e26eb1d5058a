/**
 * The wasm GELU, LayerNorm and attention kernels (block-kernels.ts, block-routines.ts,
 * attention-routines.ts): against float64 plain JS, against the same maths composed of TF.js ops
 * (gelu.ts, layer-norm.ts, attention.ts) on the same backend, and inside a whole model's loss
 * gradient. The kernels exist on wasm only.
 */
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  describeOnBackends,
  runInFreshProcess,
  setupTestBackend,
  withoutKernels,
} from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { expectClose, lossGradients } from '@learnability/core/testing';
import { beforeAll, expect, it } from 'vitest';
import { headsByKernels, headsFromOps } from '../../attention.js';
import { gelu, geluFromOps } from '../../gelu.js';
import { layerNorm, layerNormFromOps } from '../../layer-norm.js';
import { createLoopedTransformer } from '../../looped-transformer.js';
import { ATTENTION, ATTENTION_GRAD, GELU, GELU_GRAD, LAYER_NORM, LAYER_NORM_GRAD } from '../block-kernels.js';
import { LOOPED_KERNELS } from '../index.js';

const normals = (shape: number[], seed: number, scale = 1) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v, scale);
  return tf.tensor(v, shape);
};

/** GPT-2's gelu_new and its derivative, in float64. */
const C = Math.sqrt(2 / Math.PI);
const geluTanh = (z: number) => 0.5 * z * (1 + Math.tanh(C * (z + 0.044715 * z ** 3)));
const geluSlope = (z: number) => {
  const t = Math.tanh(C * (z + 0.044715 * z ** 3));
  return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * C * (1 + 3 * 0.044715 * z * z);
};

/** LayerNorm over the last axis in float64: x (rows × D) per replica, γ and β (R × D). */
function refLayerNorm(x: Float32Array, gamma: Float32Array, beta: Float32Array, R: number, D: number, eps: number) {
  const y = new Float64Array(x.length);
  const rowsPerReplica = x.length / (R * D);
  for (let row = 0; row < x.length / D; row++) {
    const r = Math.floor(row / rowsPerReplica);
    const v = Array.from(x.subarray(row * D, row * D + D));
    const mean = v.reduce((a, b) => a + b, 0) / D;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / D;
    for (let j = 0; j < D; j++)
      y[row * D + j] =
        (((v[j] as number) - mean) / Math.sqrt(variance + eps)) * (gamma[r * D + j] as number) +
        (beta[r * D + j] as number);
  }
  return y;
}

/** The heads of causal attention in float64: qkv (S·T, 3D) → (S·T, D), as attention-routines.ts states them. */
function refHeads(qkv: Float32Array, S: number, T: number, heads: number, hd: number): Float64Array {
  const D = heads * hd;
  const out = new Float64Array(S * T * D);
  const at = (s: number, t: number, part: number, h: number, c: number) =>
    qkv[(s * T + t) * 3 * D + part * D + h * hd + c] as number;
  for (let s = 0; s < S; s++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < T; i++) {
        const scores = Array.from({ length: i + 1 }, (_, j) => {
          let dot = 0;
          for (let c = 0; c < hd; c++) dot += at(s, i, 0, h, c) * at(s, j, 1, h, c);
          return dot / Math.sqrt(hd);
        });
        const max = Math.max(...scores);
        const e = scores.map((v) => Math.exp(v - max));
        const z = e.reduce((a, v) => a + v, 0);
        for (let c = 0; c < hd; c++)
          out[(s * T + i) * D + h * hd + c] = e.reduce((a, v, j) => a + (v / z) * at(s, j, 2, h, c), 0);
      }
  return out;
}

const BLOCK_KERNELS = [GELU, GELU_GRAD, LAYER_NORM, LAYER_NORM_GRAD, ATTENTION, ATTENTION_GRAD];

/** Runs `f` with the block kernels unregistered, so gelu, layerNorm and attention compose TF.js ops. */
const withoutBlockKernels = <T>(f: () => T): T => withoutKernels(BLOCK_KERNELS, f);

describeOnBackends(['wasm'], 'GELU, LayerNorm and attention kernels', () => {
  beforeAll(async () => {
    const info = await setupTestBackend('wasm', { kernels: LOOPED_KERNELS });
    for (const name of BLOCK_KERNELS)
      expect(tf.getKernel(name, 'wasm'), `${name} registered (${JSON.stringify(info.kernels)})`).toBeDefined();
  });

  it('gelu and its gradient equal the float64 tanh form, from both tails through 0, at every length 1–13', async () => {
    const zs = [
      -90, -40, -9, -6, -4, -3, -2, -1.5, -1, -0.5, -0.1, -1e-3, 0, 1e-3, 0.1, 0.5, 1, 1.5, 2, 3, 4, 6, 9, 40,
    ];
    const before = tf.memory().numTensors;
    for (const n of [...Array.from({ length: 13 }, (_, i) => i + 1), zs.length]) {
      const z = zs.slice(0, n);
      const zt = tf.tensor1d(z);
      const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(gelu(t)))([zt]);
      const y = gelu(zt);
      const tol = { atol: 1e-6, rtol: 1e-5 };
      await expectClose(y, Float32Array.from(z, geluTanh), { ...tol, what: `gelu, n = ${n}` });
      await expectClose(grads[0] as tf.Tensor, Float32Array.from(z, geluSlope), { ...tol, what: `gelu', n = ${n}` });
      tf.dispose([zt, value, y, ...grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gelu by the kernels equals gelu of TF.js ops, value and gradient, on a block-sized activation', async () => {
    const z = normals([2, 3, 7, 20], 1, 3);
    const dy = normals([2, 3, 7, 20], 2);
    const before = tf.memory().numTensors;
    const run = (f: (t: tf.Tensor) => tf.Tensor) => tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(f(t), dy)))([z]);
    const fused = run(gelu);
    const ops = run((t) => geluFromOps(t));
    const y = [gelu(z), geluFromOps(z)] as const;
    await expectClose(y[0], y[1], { atol: 1e-6, rtol: 1e-5, what: 'gelu' });
    await expectClose(fused.grads[0] as tf.Tensor, ops.grads[0] as tf.Tensor, {
      atol: 1e-6,
      rtol: 1e-5,
      what: "gelu'",
    });
    tf.dispose([fused.value, ops.value, ...fused.grads, ...ops.grads, ...y]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, dy]);
  });

  for (const shape of [
    [2, 3, 4, 8],
    [3, 5, 32],
    [1, 64, 18, 32],
  ]) {
    it(`layerNorm on (${shape}) by the kernels equals float64 plain JS, and the ops' value and ∂x, ∂γ, ∂β`, async () => {
      const [R, D] = [shape[0] as number, shape.at(-1) as number];
      // Off-centre, spread rows; γ and β away from 1 and 0 and different per replica; a random ∂L/∂y.
      const x = tf.tidy(() => tf.add(normals(shape, 3, 2), 0.5));
      const gamma = tf.tidy(() => tf.add(normals([R, 1, D], 4, 0.3), 1));
      const beta = normals([R, 1, D], 5, 0.3);
      const w = normals(shape, 6);
      const before = tf.memory().numTensors;
      const grads = (ln: typeof layerNorm) =>
        tf.valueAndGrads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(ln(a, g, b, 1e-5), w)))([
          x,
          gamma,
          beta,
        ]);
      const fused = grads(layerNorm);
      const ops = grads(layerNormFromOps);
      const y = layerNorm(x, gamma, beta, 1e-5);
      const [xs, gs, bs] = await Promise.all([x, gamma, beta].map((t) => t.data() as Promise<Float32Array>));
      const reference = refLayerNorm(xs as Float32Array, gs as Float32Array, bs as Float32Array, R, D, 1e-5);
      await expectClose(y, Float32Array.from(reference), { atol: 1e-5, rtol: 1e-5, what: 'value vs float64' });
      for (const [i, name] of ['∂x', '∂γ', '∂β'].entries())
        await expectClose(fused.grads[i] as tf.Tensor, ops.grads[i] as tf.Tensor, {
          atol: 1e-5,
          rtol: 1e-4,
          what: name,
        });
      tf.dispose([y, fused.value, ops.value, ...fused.grads, ...ops.grads]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, gamma, beta, w]);
    });
  }

  it('a head size that is not a multiple of 4 composes the ops; the kernel itself refuses it in one line', async () => {
    const model = createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 6, heads: 2, replicas: 1 });
    const params = model.init(replicaRngs(3, 1));
    const x = normals([1, 2, 6, 3], 4);
    const ops = withoutBlockKernels(() => model.apply(params, x));
    const y = model.apply(params, x); // attention and LayerNorm (D = 6) from ops, GELU (4D = 24) by its kernel
    await expectClose(y, ops, { atol: 1e-6, rtol: 1e-5, what: 'head size 3' });
    // The training step says which of the three run as kernels: it claimed all three.
    expect(model.fusedStep?.unsupported()).toBe(
      'no whole-step kernel on wasm (webgpu has one); GELU runs as a wasm kernel; LayerNorm and attention as TF.js ops (D = 6 and the head size 3 are not multiples of 4)',
    );
    const wide = createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 24, heads: 4, replicas: 1 });
    expect(wide.fusedStep?.unsupported()).toBe(
      'no whole-step kernel on wasm (webgpu has one); GELU and LayerNorm run as wasm kernels; attention as TF.js ops (the head size 6 is not a multiple of 4)',
    );
    const qkv = tf.zeros([12, 18]);
    expect(() => tf.engine().runKernel(ATTENTION, { qkv }, { heads: 2, tokens: 6 })).toThrow(
      'LearnabilityCausalAttention: expected qkv (S·T, 3D) with T = 6 and D/heads a multiple of 4 (heads = 2), but got (12,18)',
    );
    tf.dispose([params, x, ops, y, qkv] as tf.TensorContainer);
  });

  it('a width that is not a multiple of 4 composes the ops; the kernel itself refuses it in one line', async () => {
    const x = normals([2, 3, 6], 7);
    const gamma = tf.ones([2, 1, 6]);
    const beta = tf.zeros([2, 1, 6]);
    const y = layerNorm(x, gamma, beta, 1e-5);
    const ops = layerNormFromOps(x, gamma, beta, 1e-5);
    await expectClose(y, ops, { atol: 0, rtol: 0, what: 'D = 6' });
    expect(() => tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon: 1e-5 })).toThrow(
      /LearnabilityLayerNorm: expected x \(R, …, D\) with D a multiple of 4 and γ \(R, 1, D\), but got x \(2,3,6\)/,
    );
    tf.dispose([x, gamma, beta, y, ops]);
  });

  // The last has scores ~1e3 apart: their exponentials underflow (clamped at e^−87 in the kernel).
  for (const [S, T, heads, hd, spread] of [
    [6, 5, 2, 4, 1.5],
    [4, 18, 4, 8, 1.5],
    [3, 1, 1, 12, 1.5],
    [2, 9, 3, 4, 1.5],
    [2, 9, 1, 4, 20],
  ] as const) {
    it(`attention of ${S} sequences × ${T} tokens, ${heads} heads of ${hd}, qkv ~ N(0, ${spread}²): float64 plain JS, and the ops' value and ∂qkv`, async () => {
      const D = heads * hd;
      const qkv = normals([S * T, 3 * D], 11, spread);
      const w = normals([S * T, D], 12);
      const before = tf.memory().numTensors;
      const fused = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(headsByKernels(t, heads, T), w)))([qkv]);
      const ops = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(headsFromOps(t, heads, T), w)))([qkv]);
      const merged = headsByKernels(qkv, heads, T);
      const reference = refHeads((await qkv.data()) as Float32Array, S, T, heads, hd);
      await expectClose(merged, Float32Array.from(reference), { atol: 1e-5, rtol: 1e-5, what: 'heads vs float64' });
      await expectClose(fused.value, ops.value, { atol: 1e-5, rtol: 1e-5, what: 'loss' });
      await expectClose(fused.grads[0] as tf.Tensor, ops.grads[0] as tf.Tensor, {
        atol: 1e-5,
        rtol: 1e-4,
        what: '∂qkv',
      });
      tf.dispose([merged, fused.value, ops.value, ...fused.grads, ...ops.grads]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([qkv, w]);
    });
  }

  it("a looped model's loss gradient with the kernels equals the one without, for every parameter", async () => {
    const model = createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 16, heads: 2, replicas: 2, loops: 3 });
    const params = model.init(replicaRngs(8, 2));
    const x = normals([2, 4, 6, 3], 9);
    const target = normals([2, 4, 3], 10); // (R, B, points): the interleaved read-out's predictions
    const before = tf.memory().numTensors;
    // Each way's gradient and the kernels it ran: each block part falls back to ops without a word
    // where its kernel is missing, and ops against ops would agree.
    const profiled = async (run: <T>(f: () => T) => T) => {
      let out: ReturnType<typeof lossGradients> | undefined;
      const { kernelNames } = await tf.profile(() => {
        out = run(() => lossGradients(model, params, x, target));
        return [];
      });
      return { ...(out as ReturnType<typeof lossGradients>), kernelNames };
    };
    const fused = await profiled((f) => f());
    const ops = await profiled(withoutBlockKernels);
    expect(fused.kernelNames).toEqual(expect.arrayContaining(BLOCK_KERNELS));
    expect(ops.kernelNames.filter((k) => BLOCK_KERNELS.includes(k))).toEqual([]);
    await expectClose(fused.value, ops.value, { atol: 1e-6, rtol: 1e-5, what: 'loss' });
    for (const [i, name] of fused.names.entries())
      await expectClose(fused.grads[i] as tf.Tensor, ops.grads[i] as tf.Tensor, { atol: 1e-5, rtol: 1e-3, what: name });
    tf.dispose([fused.value, ops.value, ...fused.grads, ...ops.grads]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([params, x, target] as tf.TensorContainer);
  });
});

describeOnBackends(['wasm'], 'the block kernels on a threaded wasm heap', () => {
  it('compile for a shared heap (2 threads) and agree with the ops there, values and gradients', () => {
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { setupBackend } from '@learnability/backends';
      import { gradientGap } from '@learnability/backends/testing';
      import { wasmHeap } from '@learnability/core';
      import { headsByKernels, headsFromOps } from './src/attention.ts';
      import { LOOPED_KERNELS } from './src/fused/index.ts';
      import { gelu, geluFromOps } from './src/gelu.ts';
      import { layerNorm, layerNormFromOps } from './src/layer-norm.ts';
      const info = await setupBackend('wasm', { threads: 2, kernels: LOOPED_KERNELS });
      const x = tf.randomNormal([2, 6, 5, 8], 0, 2, 'float32', 1);
      const g = tf.randomNormal([2, 1, 8], 1, 0.3, 'float32', 2);
      const b = tf.randomNormal([2, 1, 8], 0, 0.3, 'float32', 3);
      const qkv = tf.randomNormal([60, 24], 0, 1.5, 'float32', 4);
      const dx = tf.randomNormal([2, 6, 5, 8], 0, 1, 'float32', 5);
      const dh = tf.randomNormal([60, 8], 0, 1, 'float32', 6);
      const gap = (p, q) => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0];
      // ∂ of Σ f(inputs) ⊙ dy by the kernels against the ops, and the kernels the first ran.
      const grads = [
        await gradientGap(gelu, geluFromOps, [x], dx),
        await gradientGap((u, gg, bb) => layerNorm(u, gg, bb, 1e-5), (u, gg, bb) => layerNormFromOps(u, gg, bb, 1e-5), [x, g, b], dx),
        await gradientGap((t) => headsByKernels(t, 2, 5), (t) => headsFromOps(t, 2, 5), [qkv], dh),
      ];
      process.stdout.write(JSON.stringify({
        threads: info.threads,
        shared: wasmHeap(tf.backend()).buffer instanceof SharedArrayBuffer,
        registered: info.kernels.filter((k) => k.registered).map((k) => k.kernel),
        gelu: gap(gelu(x), geluFromOps(x)),
        layerNorm: gap(layerNorm(x, g, b, 1e-5), layerNormFromOps(x, g, b, 1e-5)),
        attention: gap(headsByKernels(qkv, 2, 5), headsFromOps(qkv, 2, 5)),
        geluGrad: grads[0].gap,
        layerNormGrad: grads[1].gap,
        attentionGrad: grads[2].gap,
        ran: grads.flatMap((r) => r.kernelsRan),
      }));
    `;
    const run = runInFreshProcess(script, fileURLToPath(new URL('../../../', import.meta.url)));
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ threads: 2, shared: true });
    expect(out.registered).toEqual(expect.arrayContaining(BLOCK_KERNELS));
    for (const piece of ['gelu', 'layerNorm', 'attention']) expect(out[piece], piece).toBeLessThan(1e-5);
    // The gradients by their kernels (1.4e-6 apart at most here; ∂γ sums 60 rows of order-1 terms).
    expect(out.ran).toEqual(expect.arrayContaining(BLOCK_KERNELS));
    for (const piece of ['geluGrad', 'layerNormGrad', 'attentionGrad']) expect(out[piece], piece).toBeLessThan(1e-4);
  });
});
