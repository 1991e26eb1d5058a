/**
 * The whole forward pass, `createRcnn(config).apply`, against the float64 plain-JS reference of
 * test/reference-rcnn.ts (written from the README, not from src/), replica by replica and input by
 * input, on every backend: by TF.js ops, and on wasm and webgpu also with `RCNN_KERNELS` (the
 * fused gated unroll, for C a multiple of 4).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, setupTestBackend, withoutKernels } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Params } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { beforeAll, expect, it } from 'vitest';
import { refRcnnForward, refRcnnGeometry } from '../test/reference-rcnn.js';
import type { RefRcnnGeometry, RefRcnnParams } from '../test/reference-rcnn.js';
import { RCNN_KERNELS } from './fused/index.js';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD } from './fused-unroll.js';
import { GATED_UPDATE, GATED_UPDATE_GRAD } from './gated-update.js';
import { createRcnn } from './rcnn.js';
import type { RcnnConfig, RcnnEmbedding, RcnnUpdate } from './rcnn-config.js';

interface ForwardCase {
  what: string;
  config: RcnnConfig & { update?: RcnnUpdate; embedding?: RcnnEmbedding };
  batch: number;
}

// Tiny shapes (webgpu runs on a software adapter); T is small, but every step is checked by the output.
const CASES: ForwardCase[] = [
  {
    what: '[5] input, dense first layer, gated update, 1×5 grid (1×3 filter), T = 6, 2 replicas',
    config: { inputShape: [5], channels: 4, readoutWidth: 6, replicas: 2 },
    batch: 3,
  },
  {
    what: '[3, 4] input, cell first layer, residual update on an enlarged 4×5 grid, T = 4, 2 replicas',
    config: {
      inputShape: [3, 4],
      embedding: 'cell',
      update: 'residual',
      gridHeight: 4,
      gridWidth: 5,
      depth: 4,
      channels: 3,
      readoutWidth: 5,
      replicas: 2,
    },
    batch: 2,
  },
  {
    what: '[3, 4] input, 2 outputs, gateBias 0.7, T = 7, 1 replica',
    config: { inputShape: [3, 4], channels: 4, readoutWidth: 5, outputSize: 2, gateBias: 0.7, replicas: 1 },
    batch: 2,
  },
  {
    what: '[6] input, cell first layer, kernelSize 5 on a 2×6 grid (3×5 filter), T = 7, 2 replicas',
    config: { inputShape: [6], embedding: 'cell', kernelSize: 5, gridHeight: 2, channels: 4, replicas: 2 },
    batch: 2,
  },
];

const ALL_RCNN_KERNELS = [RCNN_UNROLL, RCNN_UNROLL_GRAD, GATED_UPDATE, GATED_UPDATE_GRAD];
/** Biases that `init` fills with constants (0, or gateBias): moved off them so the test sees every bias. */
const CONSTANT_BIASES = ['embedBias', 'convB', 'readB1', 'readB2'];

/** Initialised parameters with every constant bias (see CONSTANT_BIASES) plus N(0, 0.3²) noise. */
function paramsWithPerturbedBiases(model: ReturnType<typeof createRcnn>, seed: number): Params {
  const params = model.init(replicaRngs(seed, model.replicas));
  const rng = createRng(seed + 1000);
  for (const name of CONSTANT_BIASES) {
    const b = params[name] as tf.Tensor;
    const noise = new Float32Array(b.size);
    rng.normals(noise, 0.3);
    params[name] = tf.tidy(() => tf.add(b, tf.tensor(noise, b.shape)));
    b.dispose();
  }
  return params;
}

/** Replica r's slice of every parameter, as float64: each tensor (R, ...) → its r-th (...) block. */
async function replicaParams(params: Params, R: number): Promise<RefRcnnParams[]> {
  const all = await Promise.all(
    Object.entries(params).map(async ([name, t]) => [name, Float64Array.from(await t.data())] as const),
  );
  return Array.from({ length: R }, (_, r) =>
    Object.fromEntries(all.map(([name, v]) => [name, v.subarray((r * v.length) / R, ((r + 1) * v.length) / R)])),
  );
}

/** The reference's ŷ for every replica and input: x (R·B·h0·w0) → (R·B·out), replica r reading only its own parameters. */
function referenceOutputs(g: RefRcnnGeometry, p: RefRcnnParams[], x: Float32Array, batch: number): Float64Array {
  const inputSize = g.inputRows * g.inputCols;
  const y = new Float64Array(p.length * batch * g.outputSize);
  p.forEach((pr, r) => {
    for (let b = 0; b < batch; b++) {
      const row = r * batch + b;
      y.set(refRcnnForward(g, pr, x.subarray(row * inputSize, (row + 1) * inputSize)), row * g.outputSize);
    }
  });
  return y;
}

describeEachBackend('rcnn forward pass against a float64 plain-JS reference', (backend) => {
  const hasKernels = backend === 'wasm' || backend === 'webgpu';
  // Registers RCNN_KERNELS where the backend has them; the 'TF.js ops' tests set them aside.
  beforeAll(async () => {
    await setupTestBackend(backend, { kernels: RCNN_KERNELS });
  });

  // float32 against float64: ŷ of scale ~1–4 after T ≤ 7 steps of a conv over ≤ 15·8 taps and a sum
  // over ≤ 20 cells. Measured max |ŷ − reference|: cpu ≤ 3.0e-7, wasm ≤ 3.6e-7 (ops and kernels),
  // webgpu ≤ 7.2e-7 (the GPU's own exp and tanh); so one tolerance serves every backend:
  // 1e-5 per unit of output scale (≥ 50× the worst seen), while a wrong bias, gate half, scale
  // or replica moves ŷ by > 1e-2.
  const tolerance = (expected: Float64Array) => ({
    atol: 1e-5 * Math.max(1, ...Array.from(expected, Math.abs)),
    rtol: 0,
  });

  for (const [i, c] of CASES.entries()) {
    const model = createRcnn(c.config);
    const fusedApplies = hasKernels && model.config.update === 'gated' && model.config.channels % 4 === 0;
    const paths = fusedApplies ? (['TF.js ops', 'RCNN_KERNELS'] as const) : (['TF.js ops'] as const);
    for (const path of paths)
      it(`apply() equals the reference (${c.what}; ${path})`, async () => {
        const g = refRcnnGeometry(c.config);
        // The README's geometry is the model's (else the reference would read the parameters wrongly).
        expect(model.config).toMatchObject(g);
        const R = model.replicas;
        const params = paramsWithPerturbedBiases(model, 40 + i);
        // x (R, B, ...inputShape) ~ N(0, 1) rather than ±1, so a mistake that only shows for |x| ≠ 1 shows.
        const x = new Float32Array(R * c.batch * g.inputRows * g.inputCols);
        createRng(80 + i).normals(x);
        const xt = tf.tensor(x, [R, c.batch, ...c.config.inputShape]);

        const before = tf.memory().numTensors;
        const y =
          path === 'TF.js ops'
            ? withoutKernels(ALL_RCNN_KERNELS, () => model.apply(params, xt))
            : model.apply(params, xt);
        if (path === 'RCNN_KERNELS') expect(model.describeKernels?.()).toMatch(/one \w+ kernel each way/);
        expect(y.shape).toEqual([R, c.batch, g.outputSize]);
        const want = referenceOutputs(g, await replicaParams(params, R), x, c.batch);
        await expectClose(y, want, { ...tolerance(want), what: `ŷ (R·B·out = ${R}·${c.batch}·${g.outputSize})` });
        y.dispose();
        expect(tf.memory().numTensors, 'tensors after apply').toBe(before);
        tf.dispose([params, xt]);
      });
  }
});
