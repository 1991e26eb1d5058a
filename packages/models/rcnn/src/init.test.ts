/**
 * `init` against the README's "Initialisation" paragraph:
 *   embedScale, embedBias ~ N(0, 1) ('cell');  embedW ~ N(0, 1/(h0·w0)), embedBias 0 ('dense');
 *   convW ~ N(0, 1/(kh·kw·2C)), convB 0 with its gate half at gateBias;
 *   readW1 ~ N(0, 2/C), readW2 ~ N(0, 1/h), readB1 = readB2 = 0.
 * Random tensors: sample mean, variance × fan-in and kurtosis, each within 5 standard errors of
 * the README's value (computed here from the sample size); constant ones: every entry exactly.
 * Statistics are pooled over replicas (each draws from its own generator).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupTestBackend } from '@learnability/backends/testing';
import { replicaRngs } from '@learnability/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRcnn } from './rcnn.js';
import type { RcnnConfig } from './rcnn-config.js';

/** Sample mean, (biased) variance and kurtosis E[(v − μ)⁴]/var² of values, in float64. */
function moments(v: ArrayLike<number>): { n: number; mean: number; variance: number; kurtosis: number } {
  const n = v.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[i] as number;
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (v[i] as number) - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / n;
  return { n, mean, variance, kurtosis: m4 / n / (variance * variance) };
}

/**
 * Expects values ~ N(0, targetVarTimesFan / fan): for n Gaussian samples of variance σ², the mean's
 * standard error is σ/√n, the variance's σ²·√(2/(n − 1)), the kurtosis's √(24/n) (normal: 3; a
 * uniform draw of the same variance has 1.8, so the shape is checked too).
 */
function expectNormal(what: string, values: ArrayLike<number>, fan: number, targetVarTimesFan: number): void {
  const m = moments(values);
  const sigma = Math.sqrt(targetVarTimesFan / fan);
  const within = (got: number, want: number, se: number, name: string) =>
    expect(
      Math.abs(got - want),
      `${what} ${name}: ${got.toFixed(4)}, README ${want} (n = ${m.n}, 5 SE = ${(5 * se).toFixed(4)})`,
    ).toBeLessThanOrEqual(5 * se);
  within(m.mean / sigma, 0, 1 / Math.sqrt(m.n), 'mean / σ');
  within(m.variance * fan, targetVarTimesFan, targetVarTimesFan * Math.sqrt(2 / (m.n - 1)), 'variance × fan-in');
  within(m.kurtosis, 3, Math.sqrt(24 / m.n), 'kurtosis');
}

/** Every entry of a constant tensor (R, 1, G·C or h or out), by channel index along the last axis. */
function expectFill(what: string, t: tf.Tensor, fill: (channel: number) => number): void {
  const last = t.shape[t.shape.length - 1] as number;
  const got = Array.from(t.dataSync());
  expect(got, what).toEqual(got.map((_, i) => fill(i % last)));
}

describe('rcnn init (README, "Initialisation")', () => {
  beforeAll(async () => {
    await setupTestBackend('cpu');
  });

  // A 'dense', gated RCNN on a 3-row grid (a full 3×3 filter): per replica embedW 24×192,
  // convW 3·3·16·16, readW1 8×64, readW2 64×4; 4 replicas give ≥ 1,024 samples per tensor.
  it("'dense' first layer, gated update: embedW, convW, readW1, readW2 normal at the README's scale; biases 0, the gate half of convB at gateBias", () => {
    const config: RcnnConfig = {
      inputShape: [24],
      gridHeight: 3,
      channels: 8,
      readoutWidth: 64,
      outputSize: 4,
      gateBias: 0.7,
      replicas: 4,
    };
    const model = createRcnn(config);
    const [C, h, kh, kw] = [8, 64, 3, 3];
    expect([model.config.embedding, model.config.kernelHeight, model.config.kernelWidth]).toEqual(['dense', kh, kw]);
    const before = tf.memory().numTensors;
    const p = model.init(replicaRngs(3, 4));
    expectNormal('embedW', (p.embedW as tf.Tensor).dataSync(), 24, 1); // N(0, 1/(h0·w0)), h0·w0 = 24
    expectNormal('convW', (p.convW as tf.Tensor).dataSync(), kh * kw * 2 * C, 1); // N(0, 1/(kh·kw·2C))
    expectNormal('readW1', (p.readW1 as tf.Tensor).dataSync(), C, 2); // N(0, 2/C)
    expectNormal('readW2', (p.readW2 as tf.Tensor).dataSync(), h, 1); // N(0, 1/h)
    expectFill('embedBias', p.embedBias as tf.Tensor, () => 0);
    // convB (R, 1, 2C) = [candidate a (C); gate z_u (C)]: the gate half starts at gateBias.
    expectFill('convB', p.convB as tf.Tensor, (ch) => (ch < C ? 0 : Math.fround(0.7)));
    expectFill('readB1', p.readB1 as tf.Tensor, () => 0);
    expectFill('readB2', p.readB2 as tf.Tensor, () => 0);
    tf.dispose(p);
    expect(tf.memory().numTensors, 'tensors after init and dispose').toBe(before);
  });

  // A 'cell', residual RCNN on a 1×12 grid (the filter cut to 1×3): per replica embedScale and
  // embedBias 12×12, convW 1·3·24·12, readW1 12×32; 8 replicas give ≥ 1,152 samples per tensor.
  it("'cell' first layer, residual update, 1×3 filter: embedScale, embedBias N(0, 1), convW at fan-in 1·3·2C; convB all 0 whatever gateBias", () => {
    const model = createRcnn({
      inputShape: [12],
      embedding: 'cell',
      update: 'residual',
      channels: 12,
      readoutWidth: 32,
      gateBias: 0.7,
      replicas: 8,
    });
    const [C, h, kh, kw] = [12, 32, 1, 3];
    expect([model.config.kernelHeight, model.config.kernelWidth]).toEqual([kh, kw]);
    const before = tf.memory().numTensors;
    const p = model.init(replicaRngs(5, 8));
    expectNormal('embedScale', (p.embedScale as tf.Tensor).dataSync(), 1, 1);
    expectNormal('embedBias', (p.embedBias as tf.Tensor).dataSync(), 1, 1);
    expectNormal('convW', (p.convW as tf.Tensor).dataSync(), kh * kw * 2 * C, 1);
    expectNormal('readW1', (p.readW1 as tf.Tensor).dataSync(), C, 2);
    // readW2 (R, h, 1) has only 256 entries here: its scale is checked above (n = 1,024).
    expect(p.readW2?.shape).toEqual([8, h, 1]);
    // The residual update has no gate: convB (R, 1, C) is 0 everywhere.
    expect(p.convB?.shape).toEqual([8, 1, C]);
    expectFill('convB', p.convB as tf.Tensor, () => 0);
    expectFill('readB1', p.readB1 as tf.Tensor, () => 0);
    expectFill('readB2', p.readB2 as tf.Tensor, () => 0);
    tf.dispose(p);
    expect(tf.memory().numTensors, 'tensors after init and dispose').toBe(before);
  });
});
