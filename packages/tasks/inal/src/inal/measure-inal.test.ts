import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { ConfigError, replicaRngs } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { createDense } from '@learnability/dense';
import { describe, expect, it } from 'vitest';
import { createTarget } from '../create-target.js';
import type { BooleanTarget } from '../boolean-target.js';
import { measureInal } from './measure-inal.js';
import { reluParityAlignment } from './relu-alignment.js';

/**
 * Plain-JS reference: the init-averaged c²_v of every neuron of a standard dense ReLU MLP
 * (w{l} (R, in, out), b{l} (R, 1, out)), exact over all 2^n inputs.
 */
async function referenceNeurons(
  params: Record<string, tf.Tensor>,
  sizes: number[],
  target: BooleanTarget,
  R: number,
): Promise<number[][]> {
  const L = sizes.length - 1;
  const w = await Promise.all(Array.from({ length: L }, (_, l) => (params[`w${l}`] as tf.Tensor).data()));
  const b = await Promise.all(Array.from({ length: L }, (_, l) => (params[`b${l}`] as tf.Tensor).data()));
  const n = sizes[0] as number;
  const out = sizes.slice(1).map((width) => new Array<number>(width).fill(0));
  for (let r = 0; r < R; r++) {
    const corr = sizes.slice(1).map((width) => new Array<number>(width).fill(0));
    for (let i = 0; i < 2 ** n; i++) {
      let a: number[] = Array.from({ length: n }, (_, j) => ((i >> j) & 1 ? -1 : 1));
      const f = target.valueAt(a, 0);
      for (let l = 0; l < L; l++) {
        const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
        const z = Array.from({ length: fanOut }, (_, v) => {
          let s = b[l]?.[r * fanOut + v] as number;
          for (let u = 0; u < fanIn; u++)
            s += (a[u] as number) * (w[l]?.[r * fanIn * fanOut + u * fanOut + v] as number);
          return s;
        });
        a = l < L - 1 ? z.map((v) => Math.max(0, v)) : z;
        a.forEach((v, j) => ((corr[l] as number[])[j] = ((corr[l] as number[])[j] as number) + (f * v) / 2 ** n));
      }
    }
    corr.forEach((layer, l) =>
      layer.forEach((c, j) => ((out[l] as number[])[j] = ((out[l] as number[])[j] as number) + (c * c) / R)),
    );
  }
  return out;
}

const biasVariance = { zero: () => 0, 'fan-in': (n: number) => 1 / n, unit: () => 1 } as const;

// One input size, width, replica count and chunk for most tests: WebGPU compiles a program per
// shape, so shared shapes keep the suite fast there.
const [N, W, R, CHUNK] = [8, 64, 16, 256];

describeEachBackend('measureInal', () => {
  it('exact enumeration equals a plain-JS forward pass, neuron by neuron, and leaks no tensor', async () => {
    const R = 3;
    const model = createDense({ inputSize: 6, widths: [5, 4], replicas: R, bias: 'fan-in' });
    const params = model.init(replicaRngs(11, R));
    for (const spec of ['majority:5', 'staircase:3', 'parity:2']) {
      const target = createTarget(spec, { n: 6, seed: 2 });
      const before = tf.memory().numTensors;
      const result = await measureInal(model, target, { params, chunkSize: 24 });
      expect(tf.memory().numTensors, 'tensors after measureInal').toBe(before);
      const reference = await referenceNeurons(params, [6, 5, 4, 1], target, R);
      for (let l = 0; l < 3; l++)
        await expectClose(result.neurons[l] as Float64Array, reference[l] as number[], {
          atol: 1e-7,
          rtol: 1e-4,
          what: `${spec} layer ${l}`,
        });
      const all = reference.flatMap((layer, l) => layer.map((v, neuron) => ({ v, layer: l, neuron })));
      const best = all.reduce((a, c) => (c.v > a.v ? c : a));
      expect(result.argmax).toEqual({ layer: best.layer, neuron: best.neuron });
      expect(result.inal).toBeCloseTo(best.v, 6);
      expect(result.layers.map((x) => x.max)).toEqual(reference.map((layer) => expect.closeTo(Math.max(...layer), 6)));
      expect([result.method, result.inputs, result.inits]).toEqual(['exact', 64, R]);
      // Pooled: a layer of at least two units (the width-1 readout has nothing to average).
      expect(result.pooled.layer).toBeLessThan(2);
      expect(result.pooled.inal).toBe(result.layers[result.pooled.layer]?.mean);
    }
    tf.dispose(params);
  });

  // parity has E f = 0; and, or have E f ≠ 0, which only the sampled estimator's centring terms carry.
  it.each(['parity:2', 'and:2', 'or:3'])(
    'Monte Carlo agrees with exact enumeration at n = 8 on the same initialisations, without leaking (%s)',
    async (spec) => {
      const model = createDense({ inputSize: N, widths: [W], replicas: R, bias: 'fan-in' });
      const params = model.init(replicaRngs(5, R));
      const target = createTarget(spec, { n: N, seed: 1 });
      const exact = await measureInal(model, target, { params, chunkSize: CHUNK });
      const before = tf.memory().numTensors;
      const mc = await measureInal(model, target, { params, method: 'sampled', samples: 4096, chunkSize: CHUNK });
      expect(tf.memory().numTensors).toBe(before);
      expect([exact.method, mc.method, mc.inputs]).toEqual(['exact', 'sampled', 4096]);
      const [e, m] = [exact.layers[0], mc.layers[0]];
      if (!e || !m) throw new Error('expected a hidden layer');
      // Same inits: only the input noise separates them, far inside the interval (which also holds the
      // init spread). Measured |Δ| / width: 1/190 (parity), 1/145 (and), 1/100 (or); dropping the
      // centring's cross term 2βEf·ȳ gives 1/5 (and) and 1/5 (or), so the bound is 1/16.
      expect(Math.abs(m.mean - e.mean)).toBeLessThan((m.meanCiHigh - m.meanCiLow) / 16);
      expect(e.mean).toBeGreaterThan(1e-3);
      tf.dispose(params);
    },
  );

  it('removes the ĉ² bias: a target with zero alignment is estimated near 0, not near Var/N', async () => {
    // One hidden ReLU layer, zero biases, odd parity of degree 3: every c is exactly 0 (see below).
    const model = createDense({ inputSize: N, widths: [W], replicas: R });
    const result = await measureInal(model, createTarget('parity:3', { n: N }), {
      method: 'sampled',
      samples: 8192,
      seed: 1,
      chunkSize: CHUNK,
    });
    const naiveBias = 0.5 / 8192; // E[a²]/N for a ReLU of a unit-variance pre-activation
    const layer = result.layers[0];
    expect(Math.abs(layer?.mean ?? 1)).toBeLessThan(naiveBias / 4);
    expect(layer?.meanCiLow).toBeLessThan(0);
    expect(layer?.meanCiHigh).toBeGreaterThan(0);
  });

  describe('a ReLU neuron with Gaussian weights: E[⟨χ_S, σ⟩²] against the closed form (relu-alignment.ts)', () => {
    for (const bias of ['zero', 'fan-in', 'unit'] as const) {
      for (const k of [1, 2]) {
        it(`exact over x, |S| = ${k}, bias ${bias}`, async () => {
          // 64 inits × 64 neurons: the mean is known to about 2 % (k = 1) to 3 % (k = 2); the
          // closed form must lie within 3.3 standard errors (a 99.9 % interval) and 10 %.
          const model = createDense({ inputSize: N, widths: [W], replicas: 64, bias });
          const layer = (
            await measureInal(model, createTarget(`parity:${k}`, { n: N }), {
              seed: 3,
              confidence: 0.999,
              chunkSize: CHUNK,
            })
          ).layers[0];
          const expected = reluParityAlignment(N, k, biasVariance[bias](N));
          expect(Math.abs((layer?.mean ?? 0) / expected - 1)).toBeLessThan(0.1);
          expect(layer?.meanCiLow).toBeLessThan(expected);
          expect(layer?.meanCiHigh).toBeGreaterThan(expected);
        });
      }
    }
    for (const k of [1, 2]) {
      it(`Monte Carlo over x, |S| = ${k}`, async () => {
        const model = createDense({ inputSize: N, widths: [W], replicas: R });
        const layer = (
          await measureInal(model, createTarget(`parity:${k}`, { n: N }), {
            method: 'sampled',
            seed: 3,
            samples: 4096,
            confidence: 0.999,
            chunkSize: CHUNK,
          })
        ).layers[0];
        const expected = reluParityAlignment(N, k, 0);
        expect(layer?.meanCiLow).toBeLessThan(expected);
        expect(layer?.meanCiHigh).toBeGreaterThan(expected);
        expect(Math.abs((layer?.mean ?? 0) / expected - 1)).toBeLessThan(0.2);
      });
    }
  });

  it('zero biases: a one-hidden-layer ReLU net has exactly zero alignment with odd parities of degree ≥ 3', async () => {
    // ReLU(z) = z/2 + |z|/2 and z = w·x is odd in x, so a first-layer neuron is linear + even and so is
    // the readout: ⟨χ_S, ·⟩ = 0 for odd |S| ≥ 3. Random biases break the symmetry.
    const dense = (bias: 'zero' | 'fan-in') => createDense({ inputSize: N, widths: [W], replicas: R, bias });
    for (const k of [3, 5]) {
      const target = createTarget(`parity:${k}`, { n: N });
      const zero = await measureInal(dense('zero'), target, { seed: 1, chunkSize: CHUNK });
      expect(zero.inal).toBeLessThan(1e-12);
      for (const layer of zero.neurons) expect(Math.max(...layer)).toBeLessThan(1e-12);
      const fanIn = await measureInal(dense('fan-in'), target, { seed: 1, chunkSize: CHUNK });
      expect(fanIn.layers[0]?.mean).toBeGreaterThan(1e-6);
    }
    // Degree 1 is the linear part, so it survives zero biases.
    const linear = await measureInal(dense('zero'), createTarget('parity:1', { n: N }), { seed: 1, chunkSize: CHUNK });
    expect(linear.layers[0]?.mean).toBeGreaterThan(1e-2);
  });

  it('a deeper zero-bias net does align with odd parities (|z| of a linear + even function is not even)', async () => {
    const result = await measureInal(
      createDense({ inputSize: N, widths: [W, W], replicas: R }),
      createTarget('parity:3', { n: N }),
      { seed: 1, chunkSize: CHUNK },
    );
    expect(result.layers[0]?.max).toBeLessThan(1e-12);
    expect(result.layers[1]?.mean).toBeGreaterThan(1e-5);
    expect(result.argmax.layer).toBeGreaterThan(0);
  });

  it('one initialisation gives the values and NaN intervals, and pools the layer of highest average', async () => {
    const result = await measureInal(
      createDense({ inputSize: N, widths: [W, W] }),
      createTarget('parity:1', { n: N }),
      { seed: 1, chunkSize: CHUNK },
    );
    expect(result.inits).toBe(1);
    expect(result.inal).toBeGreaterThan(0);
    for (const v of [result.ciLow, result.ciHigh, result.stderr, result.pooled.ciLow, result.pooled.stderr])
      expect(v).toBeNaN();
    const best = Math.max(...result.layers.filter((l) => l.width >= 2).map((l) => l.mean));
    expect(result.pooled.inal).toBe(best);
  });
});

describe('measureInal input checks', () => {
  it('names the model and the shape it expected', async () => {
    const model = createDense({ inputSize: 5, widths: [4] });
    await expect(measureInal(model, createTarget('parity:2', { n: 6 }))).rejects.toThrow(
      'measureInal: model "dense" must take vector inputs of shape [6], but takes [5] (vector)',
    );
  });

  it('says a spec string is no target, and a factory no model', async () => {
    const model = createDense({ inputSize: 6, widths: [4] });
    await expect(measureInal(model, 'parity:2' as never)).rejects.toThrow(
      'measureInal: the target must be a BooleanTarget from createTarget(spec, { n }), but got "parity:2"; pass the spec to createTarget first',
    );
    await expect(measureInal(createDense as never, createTarget('parity:2', { n: 6 }))).rejects.toThrow(
      'measureInal: the first argument must be a model (createDense(…) and the like)',
    );
  });

  it('refuses a chunk size that is not a positive integer before making a tensor', async () => {
    const model = createDense({ inputSize: 6, widths: [4] });
    const before = tf.memory().numTensors;
    for (const chunkSize of [0, 1.5])
      await expect(measureInal(model, createTarget('parity:2', { n: 6 }), { chunkSize })).rejects.toThrow(
        `inal.chunkSize must be an integer ≥ 1, but got ${chunkSize}`,
      );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports every bad option at once as inal.<option>, and a misspelt one with the fix', async () => {
    const model = createDense({ inputSize: 6, widths: [4] });
    const config = { method: 'enumerate', exactMaxBits: 40, pilotSamples: 0, chunksize: 64 };
    const error = await measureInal(model, createTarget('parity:2', { n: 6 }), config as object).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'inal.chunksize',
      'inal.method',
      'inal.exactMaxBits',
      'inal.pilotSamples',
    ]);
    expect((error as ConfigError).issues[0]?.message).toMatch(/did you mean "chunkSize"\?/);
    expect((error as ConfigError).issues[2]?.message).toBe('expected an integer in [0, 30], but got 40');
  });
});
