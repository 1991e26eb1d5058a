import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { describeModelContract, expectClose } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { refAttention, refPredictionsByLoop, refWeights } from '../test/reference-transformer.js';
import { causalSelfAttention } from './attention.js';
import { blockParamCount, loopedTransformerParamCount } from './config.js';
import { createLoopedTransformer, isLoopedTransformer } from './looped-transformer.js';
import type { LoopedTransformerConfig } from './config.js';

const normals = (shape: number[], seed: number) => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).normals(v);
  return tf.tensor(v, shape);
};

// Tiny shapes: webgpu runs on a software Vulkan driver here.
const tiny = (over: Partial<LoopedTransformerConfig> = {}) =>
  createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, replicas: 2, ...over });

/**
 * Fresh params with N(0, 0.2²) added to every entry: biases and LayerNorm β start at 0 and γ at 1,
 * which would hide a wrong bias or gain; the larger weights also make each loop matter.
 */
function jittered(model: ReturnType<typeof tiny>, seed: number): Record<string, tf.Tensor> {
  const params = model.init(replicaRngs(seed, model.replicas));
  const out = tf.tidy(() =>
    Object.fromEntries(
      Object.entries(params).map(([k, t], i) => [k, tf.add(t, tf.mul(normals(t.shape, seed * 100 + i), 0.2))]),
    ),
  );
  tf.dispose(params);
  return out;
}

/** x (R, B, T, d) as nested arrays for the reference. */
async function prompts(x: tf.Tensor): Promise<number[][][][]> {
  return (await x.array()) as number[][][][];
}

describeEachBackend('looped transformer', () => {
  describeModelContract('looped, 1 block × 3 loops, 2 replicas', () => {
    const model = tiny({ loops: 3 });
    return { model, input: (b, seed) => normals([2, b, 6, 3], seed), atol: 1e-4 };
  });

  describeModelContract('standard, 2 layers, last-token readout', () => {
    const model = tiny({ layers: 2, tokens: 5, readout: 'last' });
    return { model, input: (b, seed) => normals([2, b, 5, 3], seed), atol: 1e-4 };
  });

  it('attention equals the plain-JS causal multi-head attention', async () => {
    const model = tiny({ layers: 1 });
    const params = jittered(model, 4);
    const x = normals([2, 3, 6, 8], 5);
    const before = tf.memory().numTensors;
    const y = causalSelfAttention(
      x,
      {
        qkvW: params['h0.qkv.w'] as tf.Tensor,
        qkvB: params['h0.qkv.b'] as tf.Tensor,
        projW: params['h0.proj.w'] as tf.Tensor,
        projB: params['h0.proj.b'] as tf.Tensor,
      },
      2,
    );
    expect(tf.memory().numTensors).toBe(before + 1);
    const xs = await prompts(x);
    const got = (await y.data()) as Float32Array;
    for (let r = 0; r < 2; r++) {
      const weights = await refWeights(params, r);
      for (let b = 0; b < 3; b++) {
        const ref = refAttention(
          (xs[r]?.[b] ?? []).map((row) => Float64Array.from(row)),
          weights,
          'h0',
          2,
        );
        const at = (r * 3 + b) * 6 * 8;
        await expectClose(
          got.subarray(at, at + 48),
          ref.flatMap((row) => Array.from(row)),
          { atol: 1e-5, rtol: 1e-4, what: `attention r${r} b${b}` },
        );
      }
    }
    tf.dispose([params, x, y]);
  });

  for (const readout of ['interleaved', 'last'] as const) {
    it(`every loop's prediction equals the plain-JS looped GPT-2 (2 layers × 3 loops, ${readout} readout)`, async () => {
      const model = tiny({ layers: 2, loops: 3, readout });
      const params = jittered(model, 9);
      const x = normals([2, 2, 6, 3], 10);
      const byLoop = model.predictionsByLoop(params, x, 3);
      const applied = model.apply(params, x);
      const xs = await prompts(x);
      const outputs = model.outputSize;
      for (let r = 0; r < 2; r++) {
        const weights = await refWeights(params, r);
        for (let b = 0; b < 2; b++) {
          const ref = refPredictionsByLoop(
            xs[r]?.[b] ?? [],
            weights,
            { layers: 2, heads: 2, epsilon: 1e-5, readout },
            3,
          );
          for (let t = 0; t < 3; t++) {
            const got = ((await (byLoop[t] as tf.Tensor).data()) as Float32Array).subarray(
              (r * 2 + b) * outputs,
              (r * 2 + b + 1) * outputs,
            );
            await expectClose(got, ref[t] ?? [], { atol: 1e-4, rtol: 1e-3, what: `loop ${t + 1} r${r} b${b}` });
          }
        }
      }
      await expectClose(applied, byLoop[2] as tf.Tensor, { atol: 1e-6, rtol: 1e-5, what: 'apply vs the last loop' });
      tf.dispose([params, x, byLoop, applied]);
    });
  }

  it('is causal: changing a later token leaves every earlier prediction unchanged', async () => {
    const model = tiny({ loops: 2, tokens: 8 });
    const params = jittered(model, 1);
    const x = normals([2, 3, 8, 3], 2);
    // Change token 5 (the y token of pair 2): predictions at x tokens 0, 2, 4 (pairs 0..2) must not move.
    const changed = tf.tidy(() =>
      tf.add(x, tf.mul(tf.reshape(tf.oneHot(tf.tensor1d([5], 'int32'), 8), [1, 1, 8, 1]), 3)),
    );
    const [a, b] = [model.apply(params, x), model.apply(params, changed)];
    const early = (t: tf.Tensor) => tf.slice(t, [0, 0, 0], [2, 3, 3]);
    const late = (t: tf.Tensor) => tf.slice(t, [0, 0, 3], [2, 3, 1]);
    const [ea, eb, la, lb] = [early(a), early(b), late(a), late(b)];
    await expectClose(eb, ea, { atol: 0, rtol: 0, what: 'predictions before the changed token' });
    const moved = (await tf.tidy(() => tf.max(tf.abs(tf.sub(la, lb)))).data())[0] as number;
    expect(moved, 'the prediction after the changed token moves').toBeGreaterThan(1e-4);
    tf.dispose([params, x, changed, a, b, ea, eb, la, lb]);
  });

  it('with loops = 1 the looped model equals a 1-layer standard model with the same weights', async () => {
    const looped = tiny({ loops: 4 });
    const standard = tiny({ loops: 1 });
    const params = jittered(looped, 3);
    const x = normals([2, 4, 6, 3], 7);
    const once = looped.applyLoops(params, x, 1);
    const baseline = standard.apply(params, x);
    const four = looped.apply(params, x);
    await expectClose(once, baseline, { atol: 0, rtol: 0, what: 'looped (1 loop) vs standard' });
    const gap = (await tf.tidy(() => tf.max(tf.abs(tf.sub(four, baseline)))).data())[0] as number;
    expect(gap, 'four loops differ from one').toBeGreaterThan(1e-3);
    // And both equal the plain-JS GPT-2 (no looping): the standard model is the baseline the paper compares with.
    const ref = refPredictionsByLoop(
      (await prompts(x))[1]?.[2] ?? [],
      await refWeights(params, 1),
      { layers: 1, heads: 2, epsilon: 1e-5, readout: 'interleaved' },
      1,
    );
    await expectClose(((await baseline.data()) as Float32Array).subarray(6 * 3, 7 * 3), ref[0] ?? [], {
      atol: 1e-4,
      rtol: 1e-3,
      what: 'standard vs reference',
    });
    tf.dispose([params, x, once, baseline, four]);
  });
});

describe('parameter counts', () => {
  it("a block has 12D² + 13D parameters; the paper's 9.48M (12 layers) and 0.79M (looped) are the blocks", () => {
    for (const D of [8, 64, 256]) expect(blockParamCount(D)).toBe(12 * D * D + 13 * D);
    expect(Math.round((12 * blockParamCount(256)) / 1e4) / 100).toBe(9.48);
    expect(Math.round(blockParamCount(256) / 1e4) / 100).toBe(0.79);
    expect(() => blockParamCount('256' as never)).toThrow(
      'blockParamCount: embedSize must be an integer ≥ 1, but got "256" (a string)',
    );
    // The whole model adds the read-in (dD + D), positions (TD), the final LayerNorm (2D) and the read-out (D + 1).
    const model = createLoopedTransformer({ tokens: 82, tokenSize: 20, embedSize: 256, heads: 8, layers: 12 });
    expect(model.paramCount).toBe(12 * blockParamCount(256) + 20 * 256 + 256 + 82 * 256 + 2 * 256 + 256 + 1);
  });

  it('loopedTransformerParamCount takes the config the model takes, defaults and checks included', () => {
    for (const config of [
      { tokens: 82, tokenSize: 20 },
      { tokens: 82, tokenSize: 20, embedSize: 256, heads: 8, layers: 12 },
      { tokens: 10, tokenSize: 3, embedSize: 8, heads: 2, mlpRatio: 2, layers: 2, loops: 3 },
    ]) {
      // The model's paramCount is checked against its parameters' sizes by describeModelContract.
      expect(loopedTransformerParamCount(config)).toBe(createLoopedTransformer(config).paramCount);
    }
    expect(() => loopedTransformerParamCount({ tokens: 6, tokenSize: 3, embedSize: 10, heads: 4 })).toThrow(
      'looped-transformer.heads: heads (4) must divide embedSize (10)',
    );
  });
});

describe('createLoopedTransformer config errors', () => {
  it('names the field and what was expected', () => {
    expect(() => createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 10, heads: 4 })).toThrow(
      'looped-transformer.heads: heads (4) must divide embedSize (10)',
    );
    expect(() => createLoopedTransformer({ tokens: 5, tokenSize: 3 })).toThrow(
      'the interleaved readout needs an even token count',
    );
    // Every bad option at once, as `looped-transformer.<field>: …`.
    expect(() => createLoopedTransformer({ tokens: 6, tokenSize: 3, loops: 0, mlpRatio: 1.5, heads: 0 })).toThrow(
      'looped-transformer.heads: expected an integer ≥ 1, but got 0; looped-transformer.loops: expected an integer ≥ 1, but got 0; looped-transformer.mlpRatio: expected an integer ≥ 1, but got 1.5',
    );
    expect(() => createLoopedTransformer({ tokens: 0, tokenSize: 3 })).toThrow(
      'looped-transformer.tokens must be an integer',
    );
    // A string epsilon passed `> 0` and failed in apply; Infinity gave NaN outputs.
    expect(() => createLoopedTransformer({ tokens: 2, tokenSize: 1, layerNormEpsilon: '1e-5' as never })).toThrow(
      'looped-transformer.layerNormEpsilon must be a finite number > 0, but got "1e-5" (a string)',
    );
    expect(() => createLoopedTransformer({ tokens: 2, tokenSize: 1, initStd: Number.POSITIVE_INFINITY })).toThrow(
      'looped-transformer.initStd must be a finite number > 0, but got Infinity',
    );
  });
});

describeEachBackend('looped transformer pieces on a state of another shape', () => {
  it('iterate and readout refuse it in one line, leaking nothing, where TF.js made a shape of 1.5 or sliced past the end', () => {
    const model = createLoopedTransformer({ tokens: 6, tokenSize: 3, embedSize: 8, heads: 2, replicas: 2 });
    const params = model.init(replicaRngs(0, 2));
    const [odd, wide, long, good] = [
      tf.ones([2, 4, 3, 8]),
      tf.ones([2, 4, 6, 5]),
      tf.ones([2, 4, 8, 8]),
      tf.ones([2, 4, 6, 8]),
    ];
    const short = tf.ones([2, 4, 4, 8]);
    const before = tf.memory().numTensors;
    expect(() => model.readout(params, odd)).toThrow(
      'looped-transformer.readout: the interleaved readout needs an even token count, but got 3',
    );
    expect(() => model.readout(params, wide)).toThrow(
      'looped-transformer.readout: the hidden state must have shape [2, B, T ≤ 6, 8], but got [2, 4, 6, 5]',
    );
    expect(() => model.iterate(params, long, long)).toThrow(
      'looped-transformer.iterate: the hidden state must have shape [2, B, T ≤ 6, 8], but got [2, 4, 8, 8]',
    );
    expect(() => model.iterate(params, good, short)).toThrow(
      'looped-transformer.iterate: the hidden state [2, 4, 6, 8] and the injected input [2, 4, 4, 8] must have one shape',
    );
    // Params of a model of fewer tokens: a raw slice error from inside the blocks.
    const fewer = createLoopedTransformer({ tokens: 4, tokenSize: 3, embedSize: 8, heads: 2, replicas: 2 });
    const fewerParams = fewer.init(replicaRngs(0, 2));
    const other = 'looped-transformer: params.pos must have shape [2, 6, 8], but got [2, 4, 8]';
    expect(() => model.iterate(fewerParams, good, good)).toThrow(other);
    expect(() => model.readout(fewerParams, good)).toThrow(other);
    tf.dispose(Object.values(fewerParams));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([odd, wide, long, good, short, Object.values(params)]);
  });
});

describe('isLoopedTransformer', () => {
  it('tells a looped transformer from anything else, null included, without throwing', () => {
    expect(isLoopedTransformer(createLoopedTransformer({ tokens: 2, tokenSize: 1 }))).toBe(true);
    for (const other of [null, undefined, {}, { embed: 1 }]) expect(isLoopedTransformer(other as never)).toBe(false);
  });
});
