/**
 * A Boolean target as a core `Task` (outputKind `sign`): x uniform on {±1}^n, y = f(x), each
 * training label flipped with probability η. Sampled on the host; every batch carries its host arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInt, checkKnownKeys, checkNumber, createRng, throwIfIssues } from '@learnability/core';
import type { Batch, Rng, Task } from '@learnability/core';
import type { BooleanTarget } from './boolean-target.js';
import { evaluateRows } from './boolean-target.js';
import { createTarget } from './create-target.js';
import type { TargetSpec } from './target-spec.js';

export interface BooleanTaskConfig {
  /** The target, as a spec string (`parity:2`, `majority`, `expr:x[0]*x[1]`, …; see target-spec.ts) or parsed. Required. */
  target: string | TargetSpec;
  /** Input bits n. Required; 1 ≤ n ≤ 2^20. */
  n: number;
  /** Label-noise rate η: each training label is flipped with this probability. Default 0; in [0, 0.5]. The test set is clean. */
  noise?: number;
  /** Seed of the relevant coordinates and of random truth tables. Default 0. */
  seed?: number;
}

/** Defaults of the optional fields: no label noise, seed 0. */
export const BOOLEAN_TASK_DEFAULTS = { noise: 0, seed: 0 } as const satisfies Required<
  Pick<BooleanTaskConfig, 'noise' | 'seed'>
>;

/** A Boolean-target task that also exposes its target. */
export interface BooleanTask extends Task {
  readonly target: BooleanTarget;
  readonly noise: number;
  sampleHost(count: number, rng: Rng): { x: Float32Array; y: Float32Array };
}

const KNOWN = ['target', 'n', 'noise', 'seed'] as const;

/** Draw order (fixed): all count·n signs, then one uniform per example when η > 0. */
function draw(target: BooleanTarget, count: number, noise: number, rng: Rng): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(count * target.n);
  rng.signs(x);
  const y = evaluateRows(target, x, count);
  if (noise > 0) for (let r = 0; r < count; r++) if (rng.uniform() < noise) y[r] = -(y[r] as number);
  return { x, y };
}

function toBatch(host: { x: Float32Array; y: Float32Array }, n: number): Batch {
  const count = host.y.length;
  return { x: tf.tensor2d(host.x.slice(), [count, n]), y: tf.tensor2d(host.y.slice(), [count, 1]), host };
}

/** The task. Throws `ConfigError` listing every invalid field (and a bad target spec). */
export function createBooleanTask(config: BooleanTaskConfig): BooleanTask {
  const { n, noise = BOOLEAN_TASK_DEFAULTS.noise, seed = BOOLEAN_TASK_DEFAULTS.seed } = config;
  throwIfIssues([
    ...checkKnownKeys('task', config, KNOWN),
    ...checkInt('task.n', n, 1, 2 ** 20),
    ...checkNumber('task.noise', noise, 0, 0.5),
    ...checkInt('task.seed', seed, -Number.MAX_SAFE_INTEGER),
  ]);
  const target = createTarget(config.target, { n, seed });
  const sampleHost = (count: number, rng: Rng) => draw(target, count, noise, rng);
  return {
    name: 'boolean-target',
    inputShape: [n],
    outputSize: 1,
    outputKind: 'sign',
    layout: 'vector',
    target,
    noise,
    sampleHost,
    sample: (count, rng) => toBatch(sampleHost(count, rng), n),
    testSet: (count, testSeed) => toBatch(draw(target, count, 0, createRng(testSeed).fork('boolean-test')), n),
    describe: () => ({
      name: 'boolean-target',
      target: target.spec,
      n,
      noise,
      seed,
      relevant: target.relevant === null ? null : [...target.relevant],
    }),
  };
}
