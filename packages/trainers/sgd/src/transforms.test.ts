import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { expectClose, values } from '@learnability/core/testing';
import { expect, it } from 'vitest';
import { addDecayedWeights, addNoise, chain, clipByValue, scale, scaleByAdam, trace } from './transforms.js';
import type { GradientTransformation } from './transforms.js';

const THETA = [0.5, -1.5, 2, 0.25];
/** Gradients at steps 1, 2, 3. */
const GRADS = [
  [0.3, -0.2, 0.05, -1.2],
  [-0.1, 0.4, 0.6, 0.02],
  [0.25, 0.25, -0.5, 0.7],
];

/** Runs `t` for GRADS.length steps on one parameter θ (held fixed); each step's updates on the host. */
async function run(t: GradientTransformation): Promise<number[][]> {
  const param = tf.tensor1d(THETA);
  let slots: Record<string, tf.Tensor> = Object.fromEntries(t.slots.map((s) => [s, tf.zerosLike(param)]));
  const out: number[][] = [];
  for (const [i, g] of GRADS.entries()) {
    const r = tf.tidy(() => {
      const { updates, slots: next } = t.update({
        name: 'w',
        index: 0,
        updates: tf.tensor1d(g),
        param,
        slots,
        step: i + 1,
      });
      return { updates, slots: { ...slots, ...next } };
    });
    out.push(Array.from(await values(r.updates)));
    for (const [k, s] of Object.entries(r.slots)) if (s !== slots[k]) slots[k]?.dispose();
    slots = r.slots;
    r.updates.dispose();
  }
  tf.dispose([param, ...Object.values(slots)]);
  return out;
}

const close = (got: number[], want: number[], what: string) =>
  expectClose(got, Float32Array.from(want), { atol: 1e-6, rtol: 1e-5, what });

describeEachBackend('gradient transformations', () => {
  it('chain(addDecayedWeights(λ), trace(μ), scale(−η)) is PyTorch SGD: b ← μb + (g + λθ), u = −ηb', async () => {
    const [lambda, mu, eta] = [0.1, 0.9, 0.05];
    const before = tf.memory().numTensors;
    const got = await run(chain(addDecayedWeights(lambda), trace(mu), scale(-eta)));
    expect(tf.memory().numTensors).toBe(before);
    const b = THETA.map(() => 0);
    for (const [i, g] of GRADS.entries()) {
      for (let j = 0; j < b.length; j++)
        b[j] = mu * (b[j] as number) + (g[j] as number) + lambda * (THETA[j] as number);
      await close(
        got[i] as number[],
        b.map((v) => -eta * v),
        `step ${i + 1}`,
      );
    }
  });

  it('scaleByAdam is m̂ / (√v̂ + ε) with bias correction, step by step', async () => {
    const [b1, b2, eps] = [0.8, 0.95, 1e-3];
    const got = await run(scaleByAdam(b1, b2, eps));
    const m = THETA.map(() => 0);
    const v = THETA.map(() => 0);
    for (const [i, g] of GRADS.entries()) {
      const t = i + 1;
      const want = g.map((gj, j) => {
        m[j] = b1 * (m[j] as number) + (1 - b1) * gj;
        v[j] = b2 * (v[j] as number) + (1 - b2) * gj * gj;
        return (m[j] as number) / (1 - b1 ** t) / (Math.sqrt((v[j] as number) / (1 - b2 ** t)) + eps);
      });
      await close(got[i] as number[], want, `step ${t}`);
    }
  });

  it('clipByValue clips each coordinate to [−A, A]; addNoise(0) adds nothing', async () => {
    const got = await run(chain(clipByValue(0.3), addNoise(0, 1)));
    for (const [i, g] of GRADS.entries())
      await close(
        got[i] as number[],
        g.map((x) => Math.max(-0.3, Math.min(0.3, x))),
        `step ${i + 1}`,
      );
  });

  it('addNoise draws afresh per step and parameter, the same for the same seed', async () => {
    const draw = async (seed: number, step: number, index: number) => {
      const u = tf.tidy(
        () =>
          addNoise(0.5, seed).update({
            name: 'w',
            index,
            updates: tf.zeros([64]),
            param: tf.zeros([64]),
            slots: {},
            step,
          }).updates,
      );
      const out = Array.from(await values(u));
      u.dispose();
      return out;
    };
    const first = await draw(3, 1, 0);
    expect(await draw(3, 1, 0)).toEqual(first);
    for (const other of [await draw(3, 2, 0), await draw(3, 1, 1), await draw(4, 1, 0)])
      expect(other).not.toEqual(first);
    const std = Math.sqrt(first.reduce((s, x) => s + x * x, 0) / first.length);
    expect(std).toBeGreaterThan(0.3);
    expect(std).toBeLessThan(0.7);
  });

  it('chain rejects two transformations that keep a slot of the same name', () => {
    expect(() => chain(trace(0.9), trace(0.5))).toThrow('chain: slot names repeat: momentum, momentum');
  });

  it('each builder refuses a value it cannot use when it is built, not at the first update', () => {
    for (const [build, message] of [
      [() => scale(Number.NaN), 'scale: expected a finite number, but got NaN'],
      [() => addDecayedWeights(-0.1), 'addDecayedWeights: expected a finite number ≥ 0, but got -0.1'],
      [() => trace(2), 'trace: expected a finite number in [0, 1], but got 2'],
      [() => clipByValue(-1), 'clipByValue: expected a finite number > 0, but got -1'],
      [() => addNoise(-1, 0), 'addNoise: expected a finite number ≥ 0, but got -1'],
      [() => addNoise(0.1, 1.5), 'addNoise: the seed must be an integer ≥ 0, but got 1.5'],
      [() => scaleByAdam(1, 0.999, 1e-8), 'scaleByAdam: beta1: expected a finite number in [0, 1), but got 1'],
      [() => scaleByAdam(0.9, 0.999, 0), 'scaleByAdam: epsilon: expected a finite number > 0, but got 0'],
      [() => scale('0.1' as never), 'scale: expected a finite number, but got "0.1" (a string)'],
      [
        () => chain(scale(1), 5 as never),
        'chain: argument 1 is not a gradient transformation (scale(…), trace(…), …), but 5',
      ],
    ] as const)
      expect(build).toThrow(message);
  });
});
