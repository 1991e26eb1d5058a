/**
 * The fused step against the float64 plain-JS GPT-2 (test/reference-transformer.ts) directly:
 * its first loss equals the reference's truncated loop loss at θ₀, and its gradient equals
 * central finite differences of that loss (the state after the first b − T iterations held
 * fixed, as the truncated gradient does), coordinate by coordinate in every parameter of every
 * replica.
 *
 * The gradient is read straight off one step: its update rule is `theta = g`, which writes the
 * summed gradient (split-K copies and row partials included) into θ's place.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { describeEachBackend, withDeviceLimits } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Params } from '@learnability/core';
import { expect, it } from 'vitest';
import { refStateAfter, refTruncatedLoss, refWeights } from '../../../test/reference-transformer.js';
import type { RefConfig, RefWeights } from '../../../test/reference-transformer.js';
import type { LoopedTransformerConfig } from '../../config.js';
import { createLoopedTransformer } from '../../looped-transformer.js';
import { LOOPED_KERNELS } from '../index.js';
import type { LoopedStepShape } from '../kernel-contract.js';
import { stepLayout } from './step-layout.js';

const CASES: { title: string; model: LoopedTransformerConfig; lossLoops: number; replicas: number }[] = [
  {
    title: 'looped, b = 3 > T = 2, interleaved, 2 replicas',
    model: { tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, loops: 3 },
    lossLoops: 2,
    replicas: 2,
  },
  {
    title: 'standard, 2 layers, last-token readout',
    model: { tokens: 5, tokenSize: 3, embedSize: 8, heads: 2, layers: 2, readout: 'last' },
    lossLoops: 1,
    replicas: 1,
  },
  {
    // Past 64 tokens: the attention's queries take two rounds and its keys several chunks.
    title: '70 tokens, looped, interleaved',
    model: { tokens: 70, tokenSize: 3, embedSize: 8, heads: 2, loops: 2 },
    lossLoops: 1,
    replicas: 1,
  },
];

const B = 2;

const normals = (n: number, seed: number, std = 1) => {
  const v = new Float32Array(n);
  createRng(seed).normals(v, std);
  return v;
};

/** The reference loss over the batch: the mean of each prompt's truncated loss. */
function referenceLoss(
  weights: RefWeights,
  c: RefConfig,
  prompts: { x: number[][]; y: number[]; start: Float64Array[] }[],
  lossLoops: number,
): number {
  return prompts.reduce((s, p) => s + refTruncatedLoss(p.x, p.y, p.start, weights, c, lossLoops), 0) / prompts.length;
}

type Case = (typeof CASES)[number];

/**
 * The step's layout for case `k` (stepLayout, as the kernel plans it) where ∇θ's binding may take
 * `maxGradFloats`.
 */
function layoutOf(k: Case, params: Params, maxGradFloats: number) {
  const model = createLoopedTransformer({ ...k.model, replicas: k.replicas });
  const c = model.config;
  const R = k.replicas;
  const shape: LoopedStepShape = {
    R,
    B,
    promptTokens: c.tokens,
    tokenSize: c.tokenSize,
    targets: model.outputSize,
    embedSize: c.embedSize,
    hidden: c.mlpRatio * c.embedSize,
    positions: c.tokens,
    sizes: Object.fromEntries(Object.entries(params).map(([name, t]) => [name, t.size / R])),
  };
  const attrs = { layers: c.layers, heads: c.heads, readout: c.readout, tokens: c.tokens, lossLoops: k.lossLoops };
  return stepLayout(shape, attrs, maxGradFloats);
}

/**
 * Limits under which case `k`'s step keeps `splits` split-K copies of ∇θ (8 where the binding
 * size allows, as on the devices tested): the binding size that just fits them.
 */
function limitsForSplits(k: Case, params: Params, splits: number) {
  const L = layoutOf(k, params, Number.POSITIVE_INFINITY);
  const floats = L.gradCopiesAt + (splits - 1) * L.rowReducedAt;
  expect(layoutOf(k, params, floats).splits, 'the splits those limits give').toBe(splits);
  return { maxStorageBufferBindingSize: 4 * floats };
}

/**
 * The fused step's loss and gradient at θ₀ against the reference, coordinate by coordinate;
 * `splits`: under device limits that leave room for that many split-K copies of ∇θ.
 */
async function checkAgainstReference(k: Case, splits?: number): Promise<void> {
  await setupBackend('webgpu', { kernels: LOOPED_KERNELS });
  const before = tf.memory().numTensors;
  const model = createLoopedTransformer({ ...k.model, replicas: k.replicas });
  const cfg = model.config;
  const [R, T, d, outputs] = [k.replicas, cfg.tokens, cfg.tokenSize, model.outputSize];
  // θ₀ with N(0, 0.2²) added everywhere: biases, β at 0 and γ at 1 would hide a wrong term.
  const init = model.init(replicaRngs(4, R));
  const params: Params = {};
  Object.entries(init).forEach(([name, t], i) => {
    params[name] = tf.tidy(() => tf.add(t, tf.tensor(normals(t.size, 300 + i, 0.2), t.shape)));
  });
  tf.dispose(Object.values(init));
  const xs = normals(R * B * T * d, 1);
  const ys = normals(R * B * outputs, 2);
  const x = tf.tensor(xs, [R, B, T, d]);
  const y = tf.tensor(ys, [R, B, outputs]);
  const step = async () =>
    model.fusedStep.step({
      params,
      slots: {},
      x,
      y,
      plan: { loops: cfg.loops, lossLoops: k.lossLoops, points: null },
      update: { slots: [], wgsl: 'theta = g;', scalars: [] },
    });
  const next =
    splits === undefined
      ? await step()
      : await withDeviceLimits(limitsForSplits(k, params, splits), LOOPED_KERNELS, step);
  const c: RefConfig = {
    layers: cfg.layers,
    heads: cfg.heads,
    epsilon: cfg.layerNormEpsilon,
    readout: cfg.readout,
  };
  const losses = (await next.loss.data()) as Float32Array;
  const gradients = Object.fromEntries(
    await Promise.all(
      Object.entries(next.params).map(async ([name, t]) => [name, (await t.data()) as Float32Array] as const),
    ),
  );

  let worst = { name: '', index: 0, got: 0, want: 0, err: 0 };
  let scale = 0;
  for (let r = 0; r < R; r++) {
    const weights = await refWeights(params, r);
    const prompts = Array.from({ length: B }, (_, b) => {
      const row = (t: number) => ((r * B + b) * T + t) * d;
      const px = Array.from({ length: T }, (_, t) => Array.from(xs.subarray(row(t), row(t) + d)));
      return {
        x: px,
        y: Array.from(ys.subarray((r * B + b) * outputs, (r * B + b + 1) * outputs)),
        start: refStateAfter(px, weights, c, cfg.loops - k.lossLoops),
      };
    });
    const loss = referenceLoss(weights, c, prompts, k.lossLoops);
    expect((losses[r] as number) / loss, `replica ${r}'s loss`).toBeCloseTo(1, 5);
    for (const [name, w] of Object.entries(weights)) {
      const gradient = gradients[name];
      if (!gradient) throw new Error(`the step returned no ${name}`);
      const size = w.values.length;
      for (let index = 0; index < size; index++) {
        const got = gradient[r * size + index] as number;
        const h = 1e-5;
        const at = w.values[index] as number;
        w.values[index] = at + h;
        const up = referenceLoss(weights, c, prompts, k.lossLoops);
        w.values[index] = at - h;
        const down = referenceLoss(weights, c, prompts, k.lossLoops);
        w.values[index] = at;
        const want = (up - down) / (2 * h);
        scale = Math.max(scale, Math.abs(want));
        // A non-finite entry is the worst there is, and stays so (a NaN compared false either way,
        // and the next finite entry took its place).
        const err = Number.isFinite(got) && Number.isFinite(want) ? Math.abs(got - want) : Number.POSITIVE_INFINITY;
        if (err > worst.err) worst = { name: `replica ${r}: ${name}`, index, got, want, err };
      }
    }
  }
  // Measured on lavapipe, every coordinate: worst |Δ| 1.6–3.4e-7 at scale 1.9–3.1 (float32 forward
  // and backward); the bound is ≈ 40× that. A wrong term is ≫ (gradients are ≈ 1e-2 at the median).
  expect(worst.err, `${worst.name}[${worst.index}]: ${worst.got} vs ${worst.want}`).toBeLessThan(2e-6 + 5e-6 * scale);
  tf.dispose([...Object.values(params), ...Object.values(next.params), ...Object.values(next.slots), next.loss, x, y]);
  expect(tf.memory().numTensors, 'tensors left').toBe(before);
}

describeEachBackend('fused looped step against the float64 reference', (backend) => {
  for (const k of CASES)
    it.skipIf(backend !== 'webgpu')(`loss and gradient at θ₀ (${k.title})`, () => checkAgainstReference(k));
  // The weight gradients split K (the rows) across copies of ∇θ, as many as the binding size has
  // room for (stepLayout), up to 8: a device of a smaller maxStorageBufferBindingSize gets fewer,
  // or none. 140 rows take 8 copies at most, here 2; 32 rows take 2, here none. (At 140 rows the
  // streams' buffer is larger than ∇θ without copies, which such a device would refuse.)
  const long = CASES[2] as Case;
  const rows32 = { ...long, title: '16 tokens, 32 rows', model: { ...long.model, tokens: 16 } };
  for (const [k, splits] of [
    [long, 2],
    [rows32, 1],
  ] as const)
    it.skipIf(backend !== 'webgpu')(
      `so it does with room for ${splits} cop${splits === 1 ? 'y' : 'ies'} of ∇θ (${k.title})`,
      () => checkAgainstReference(k, splits),
    );
});
