import * as tf from '@tensorflow/tfjs-core';
import { assert, hashString, showValue } from '@learnability/core';

/**
 * A pure per-parameter gradient transformation (optax's `GradientTransformation`): from the
 * incoming `updates` (the source's gradient, for the first of a chain), θ_t (`param`), its own
 * slots and the 1-based `step`, new updates and slots. Slots start at zeros; a trainer state holds
 * them as `<param>.<slot>`. Runs inside a tidy. The trainer then sets θ ← θ + updates.
 */
export interface GradientTransformation {
  readonly slots: readonly string[];
  update(args: TransformArgs): { updates: tf.Tensor; slots?: Record<string, tf.Tensor> };
}

/** What a transformation sees of one parameter (`index`: its place in the params' key order). */
export interface TransformArgs {
  name: string;
  index: number;
  updates: tf.Tensor;
  param: tf.Tensor;
  slots: Record<string, tf.Tensor>;
  step: number;
}

/**
 * Throws, in one line naming the builder, unless `value` is a finite number that `ok` accepts
 * (`range` says which). A NaN scale or a momentum of 2 built a transformation that trained on NaN
 * or diverged, and a negative clip failed at the first update in TF.js's words.
 */
function checkNumber(builder: string, value: number, range: string, ok: (v: number) => boolean = () => true): void {
  assert(
    typeof value === 'number' && Number.isFinite(value) && ok(value),
    () => `${builder}: expected a finite number${range}, but got ${showValue(value)}`,
  );
}

const stateless = (f: (args: TransformArgs) => tf.Tensor): GradientTransformation => ({
  slots: [],
  update: (args) => ({ updates: f(args) }),
});

/** The transformations in order, each fed the previous one's updates and reading its own slots (names must not repeat). */
export function chain(...transforms: GradientTransformation[]): GradientTransformation {
  transforms.forEach((t, i) =>
    assert(
      typeof t?.update === 'function' && Array.isArray(t.slots),
      () => `chain: argument ${i} is not a gradient transformation (scale(…), trace(…), …), but ${JSON.stringify(t)}`,
    ),
  );
  const slots = transforms.flatMap((t) => t.slots);
  assert(new Set(slots).size === slots.length, () => `chain: slot names repeat: ${slots.join(', ')}`);
  return {
    slots,
    update(args) {
      let updates = args.updates;
      const out: Record<string, tf.Tensor> = {};
      for (const t of transforms) {
        const r = t.update({ ...args, updates });
        updates = r.updates;
        Object.assign(out, r.slots);
      }
      return { updates, slots: out };
    },
  };
}

/** u ← s·u; `scale(−lr)` ends a descent chain. */
export const scale = (s: number): GradientTransformation => {
  checkNumber('scale', s, '');
  return stateless(({ updates }) => tf.mul(s, updates));
};

/** Coupled L2 decay (PyTorch's `weight_decay`): u ← u + λθ. */
export const addDecayedWeights = (lambda: number): GradientTransformation => {
  checkNumber('addDecayedWeights', lambda, ' ≥ 0', (v) => v >= 0);
  return stateless(({ updates, param }) => tf.add(updates, tf.mul(lambda, param)));
};

/** Heavy-ball momentum, PyTorch's form: b ← μb + u, u ← b. Slot `momentum`. */
export const trace = (momentum: number): GradientTransformation => {
  checkNumber('trace', momentum, ' in [0, 1]', (v) => v >= 0 && v <= 1);
  return {
    slots: ['momentum'],
    update: ({ updates, slots }) => {
      const buffer = tf.add(tf.mul(momentum, slots.momentum as tf.Tensor), updates);
      return { updates: buffer, slots: { momentum: buffer } };
    },
  };
};

/** Each coordinate clipped to [−A, A] (noisy GD's [·]_A). */
export const clipByValue = (a: number): GradientTransformation => {
  checkNumber('clipByValue', a, ' > 0', (v) => v > 0);
  return stateless(({ updates }) => tf.clipByValue(updates, -a, a));
};

/**
 * u ← u + N(0, τ²), a fresh draw per (replica, step, parameter). Replica r of updates (R, …) draws
 * from stream `noisy-gd:<seed + r>`, so it gets the noise of the one-replica run with seed + r, as
 * every other part of a replicated run does (a sweep packs seeds into replicas on that promise).
 */
export function addNoise(tau: number, seed: number): GradientTransformation {
  checkNumber('addNoise', tau, ' ≥ 0', (v) => v >= 0);
  assert(
    Number.isInteger(seed) && seed >= 0,
    () => `addNoise: the seed must be an integer ≥ 0, but got ${showValue(seed)}`,
  );
  const bases: number[] = [];
  const baseOf = (r: number) => (bases[r] ??= hashString(`noisy-gd:${seed + r}`));
  return stateless(({ updates, index, step }) => {
    if (tau === 0) return updates;
    const [replicas = 1, ...shape] = updates.shape;
    const draws = Array.from({ length: replicas }, (_, r) => {
      const s = (baseOf(r) ^ Math.imul(step, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
      return tf.randomNormal(shape, 0, tau, 'float32', s);
    });
    // One replica: a reshape, not a stack's copy.
    return tf.add(updates, draws.length === 1 ? tf.expandDims(draws[0] as tf.Tensor, 0) : tf.stack(draws));
  });
}

/**
 * Adam's direction m̂ / (√v̂ + ε) with bias correction at 1-based step t (Kingma & Ba 2015,
 * Algorithm 1): m ← β₁m + (1−β₁)u, v ← β₂v + (1−β₂)u², m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Slots `m`, `v`.
 * The workspace's one Adam: `createAdam` and `@learnability/looped-adam` chain it with `scale(−lr)`.
 */
export const scaleByAdam = (beta1: number, beta2: number, epsilon: number): GradientTransformation => {
  checkNumber('scaleByAdam: beta1', beta1, ' in [0, 1)', (v) => v >= 0 && v < 1);
  checkNumber('scaleByAdam: beta2', beta2, ' in [0, 1)', (v) => v >= 0 && v < 1);
  checkNumber('scaleByAdam: epsilon', epsilon, ' > 0', (v) => v > 0);
  return {
    slots: ['m', 'v'],
    update: ({ updates, slots, step }) => {
      const m = tf.add(tf.mul(beta1, slots.m as tf.Tensor), tf.mul(1 - beta1, updates));
      const v = tf.add(tf.mul(beta2, slots.v as tf.Tensor), tf.mul(1 - beta2, tf.square(updates)));
      const mHat = tf.div(m, 1 - beta1 ** step);
      const vHat = tf.div(v, 1 - beta2 ** step);
      return { updates: tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), slots: { m, v } };
    },
  };
};
