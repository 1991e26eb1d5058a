/**
 * Each rule on the ReLU RNN against its own formula in plain JS (test/reference-rnn-rules.ts)
 * after several steps, when Align-ada's two readings, FA and DFA have all parted from backprop:
 * the recurrent form of docs/papers.md §4, on every backend: through the scan kernels on wasm and
 * webgpu (asserted), through TF.js ops on cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, setupTestBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { RNN_KERNELS, createRnn } from '@learnability/rnn';
import { beforeAll, expect, it } from 'vitest';
import { disposeBatch, read } from '../test/helpers.js';
import { RULES } from '../test/reference-rules.js';
import { RNN_PARAM_NAMES, refRnnRuleUpdate } from '../test/reference-rnn-rules.js';
import type { RefRnn } from '../test/reference-rnn-rules.js';
import { createAlignTrainer, ruleTensorsOf } from './align-trainer.js';

/** Two inputs and two outputs a step, so no shape of the updates is a vector by accident. */
const SIZES = { d: 2, T: 5, n: 6, o: 2 };
const [R, B, LR] = [2, 3, 0.3];

/** x_t ∈ {0, 1}^d, y ~ N(0, 0.7²) at every step and output. */
function batch(seed: number): Batch {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: R * B * SIZES.T * SIZES.d }, () => (rng.uniform() < 0.5 ? 0 : 1));
  const y = new Float32Array(R * B * SIZES.T * SIZES.o);
  rng.normals(y, 0.7);
  return { x: tf.tensor(x, [R, B, SIZES.T, SIZES.d]), y: tf.tensor(y, [R, B, SIZES.T * SIZES.o]) };
}

/** `f()`, and the names of the kernels it ran. */
async function profiled<T>(f: () => T): Promise<{ kernelNames: string[]; result: T }> {
  let result: T | undefined;
  const { kernelNames } = await tf.profile(() => {
    result = f();
    return [];
  });
  return { kernelNames, result: result as T };
}

/** Replica r of each named tensor, as float64. */
const replica = (data: Record<string, Float32Array>, r: number): RefRnn =>
  Object.fromEntries(
    Object.entries(data).map(([name, values]) => {
      const size = values.length / R;
      return [name, Float64Array.from(values.subarray(r * size, (r + 1) * size))];
    }),
  ) as unknown as RefRnn;

describeEachBackend('align rules on the RNN: formulas', (backend) => {
  beforeAll(async () => {
    if (backend !== 'cpu') await setupTestBackend(backend, { kernels: RNN_KERNELS });
  });

  it('after 5 steps, every rule updates the RNN as its plain-JS formula says; the Align-ada gates differ', async () => {
    const model = createRnn({
      inputSize: SIZES.d,
      steps: SIZES.T,
      width: SIZES.n,
      outputSize: SIZES.o,
      replicas: R,
      bias: 'fan-in',
    });
    const whh: Record<string, Float64Array> = {};
    for (const [ref, config] of RULES) {
      const trainer = createAlignTrainer({ ...config, lr: LR });
      let state = trainer.init(model, model.init(replicaRngs(7, R)));
      for (let i = 0; i < 5; i++) {
        const b = batch(10 + i);
        const r = trainer.step(state, b);
        r.loss.dispose();
        disposeBatch(b);
        state = r.state;
      }
      const b = batch(77);
      const before = await read(state.params);
      const fixed = ruleTensorsOf(state.slots);
      const [initial, feedback] = [await read(fixed.initial), await read(fixed.feedback)];
      const projection = fixed.projections[0] ? ((await fixed.projections[0].data()) as Float32Array) : null;
      const [xs, ys] = [(await b.x.data()) as Float32Array, (await b.y.data()) as Float32Array];
      const { kernelNames, result } = await profiled(() => trainer.step(state, b));
      if (backend !== 'cpu') expect(kernelNames, ref).toContain('LearnabilityRnnScan');
      const after = await read(result.state.params);
      // Readout-only leaves every hidden parameter exactly where it was.
      if (ref === 'readout-only')
        for (const name of ['wih', 'whh', 'bh']) expect(after[name], name).toEqual(before[name]);
      for (let r = 0; r < R; r++) {
        const perSequence = (data: Float32Array, k: number) =>
          Array.from({ length: B }, (_, s) =>
            Array.from(data.subarray((r * B + s) * SIZES.T * k, (r * B + s + 1) * SIZES.T * k)),
          );
        const expected = refRnnRuleUpdate({
          rule: ref,
          sizes: SIZES,
          current: replica(before, r),
          ...(Object.keys(initial).length ? { initial: replica(initial, r) } : {}),
          ...(Object.keys(feedback).length ? { feedback: replica(feedback, r) } : {}),
          ...(projection
            ? { projection: Float64Array.from(projection.subarray(r * SIZES.o * SIZES.n, (r + 1) * SIZES.o * SIZES.n)) }
            : {}),
          x: perSequence(xs, SIZES.d).map((seq) =>
            Array.from({ length: SIZES.T }, (_, t) => seq.slice(t * SIZES.d, (t + 1) * SIZES.d)),
          ),
          y: perSequence(ys, SIZES.o),
        });
        for (const name of RNN_PARAM_NAMES) {
          const [was, now] = [replica(before, r)[name], replica(after, r)[name]];
          const got = was.map((v, i) => (v - (now[i] as number)) / LR);
          await expectClose(got, expected[name], { atol: 2e-5, rtol: 2e-3, what: `${ref} replica ${r} ${name}` });
          if (r === 0 && name === 'whh') whh[ref] = got;
        }
      }
      result.loss.dispose();
      trainer.dispose(result.state);
      disposeBatch(b);
    }
    // The two readings agree at step 0 (align-exactness.test.ts) and part once θ has moved.
    const [cur, frz] = [whh['align-ada-current'] as Float64Array, whh['align-ada-frozen'] as Float64Array];
    const gap = Math.hypot(...cur.map((v, i) => v - (frz[i] as number))) / Math.hypot(...cur);
    expect(gap, 'Align-ada current vs frozen gate, whh').toBeGreaterThan(0.01);
  });
});
