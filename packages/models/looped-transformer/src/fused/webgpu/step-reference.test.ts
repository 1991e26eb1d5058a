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
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Params } from '@learnability/core';
import { expect, it } from 'vitest';
import { refStateAfter, refTruncatedLoss, refWeights } from '../../../test/reference-transformer.js';
import type { RefConfig, RefWeights } from '../../../test/reference-transformer.js';
import type { LoopedTransformerConfig } from '../../config.js';
import { createLoopedTransformer } from '../../looped-transformer.js';
import { LOOPED_KERNELS } from '../index.js';

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

describeEachBackend('fused looped step against the float64 reference', (backend) => {
  for (const k of CASES) {
    it.skipIf(backend !== 'webgpu')(`loss and gradient at θ₀ (${k.title})`, async () => {
      await setupBackend('webgpu', { kernels: LOOPED_KERNELS });
      const model = createLoopedTransformer({ ...k.model, replicas: k.replicas });
      const cfg = model.config;
      const [R, T, d, outputs] = [k.replicas, cfg.tokens, cfg.tokenSize, model.outputSize];
      // θ₀ with N(0, 0.2²) added everywhere: biases, β at 0 and γ at 1 would hide a wrong term.
      const init = model.init(replicaRngs(4, R));
      const params: Params = {};
      Object.entries(init).forEach(([name, t], i) => {
        params[name] = tf.add(t, tf.tensor(normals(t.size, 300 + i, 0.2), t.shape));
      });
      tf.dispose(Object.values(init));
      const xs = normals(R * B * T * d, 1);
      const ys = normals(R * B * outputs, 2);
      const x = tf.tensor(xs, [R, B, T, d]);
      const y = tf.tensor(ys, [R, B, outputs]);
      const next = model.fusedStep.step({
        params,
        slots: {},
        x,
        y,
        plan: { loops: cfg.loops, lossLoops: k.lossLoops, points: null },
        update: { slots: [], wgsl: 'theta = g;', scalars: [] },
      });
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

      let worst = { name: '', index: 0, got: 0, want: 0 };
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
            // `!(… <= …)` takes a NaN entry as the worst, which a plain `>` would pass over.
            if (!(Math.abs(got - want) <= Math.abs(worst.got - worst.want)))
              worst = { name: `replica ${r}: ${name}`, index, got, want };
          }
        }
      }
      // Measured on lavapipe, every coordinate: worst |Δ| 1.6–3.4e-7 at scale 1.9–3.1 (float32 forward
      // and backward); the bound is ≈ 40× that. A wrong term is ≫ (gradients are ≈ 1e-2 at the median).
      expect(
        Math.abs(worst.got - worst.want),
        `${worst.name}[${worst.index}]: ${worst.got} vs ${worst.want}`,
      ).toBeLessThan(2e-6 + 5e-6 * scale);
      tf.dispose([
        ...Object.values(params),
        ...Object.values(next.params),
        ...Object.values(next.slots),
        next.loss,
        x,
        y,
      ]);
    });
  }
});
