/**
 * A Boolean target as a core `Task` (outputKind `sign`): x uniform on {±1}^n, y = f(x), each
 * training label flipped with probability η. Sampled on the host; every batch carries its host arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  assertDraw,
  createRng,
  defineSchema,
  kAtMostN,
  labelNoiseField,
  resolveOptions,
} from '@learnability/core';
import type { Batch, OptionsOf, Rng, Task } from '@learnability/core';
import type { BooleanTarget } from './boolean-target.js';
import { evaluateRows } from './boolean-target.js';
import { createTarget } from './create-target.js';
import type { TargetSpec } from './target-spec.js';

/**
 * The task's options, each default written once: a target family with its sizes (a config's
 * form of a target spec, `booleanTargetSpec`), the input bits, label noise and the seed.
 */
export const BOOLEAN_TASK_SCHEMA = defineSchema(
  {
    family: {
      type: 'enum',
      // The families a config can name: target-spec.ts's, less `expr` and `table` (not plain config values).
      values: ['parity', 'majority', 'staircase', 'junta', 'and', 'or', 'threshold', 'random'],
      default: 'parity',
      doc: 'target family (see @learnability/inal target specs)',
    },
    n: { type: 'int', default: 32, min: 1, max: 1 << 20, doc: 'input bits' },
    k: {
      type: 'int',
      default: 2,
      min: 0,
      doc: 'relevant bits, drawn from seed (majority: 0 means all n bits, n − 1 when n is even)',
    },
    t: { type: 'int', default: 1, min: 1, doc: 'threshold only: y = −1 when at least t of the k bits are −1' },
    noise: labelNoiseField(0),
    seed: {
      type: 'int',
      default: 0,
      min: 0,
      max: 2 ** 31,
      doc: 'seed of the relevant bits and of random truth tables',
    },
  },
  [
    kAtMostN,
    {
      paths: ['t', 'k'],
      test: (o) => o.family !== 'threshold' || o.t <= o.k,
      message: (o) => `the threshold must be ≤ k (${o.k}), but got ${o.t}`,
    },
    {
      paths: ['k', 'family'],
      test: (o) => o.family !== 'majority' || o.k % 2 === 1 || o.k === 0,
      message: (o) => `majority needs an odd number of bits (or 0: all n), but got ${o.k}`,
    },
    {
      paths: ['k', 'family'],
      test: (o) => !['and', 'or', 'staircase', 'junta'].includes(o.family) || o.k >= 1,
      message: (o) => `${o.family} needs k ≥ 1, but got ${o.k}`,
    },
  ],
);

export type BooleanTaskOptions = OptionsOf<typeof BOOLEAN_TASK_SCHEMA.fields>;
/** A family a config can name. */
export type BooleanFamily = BooleanTaskOptions['family'];

/** The target's form in family, k and t. */
const TARGET_FIELDS = ['family', 'k', 't'] as const;
/** The options beside a spec given as `target` (its own parser checks k and t against n). */
const { n, noise, seed } = BOOLEAN_TASK_SCHEMA.fields;
const SPEC_SCHEMA = defineSchema({ n, noise, seed });

/** Options not given take their defaults. */
export interface BooleanTaskConfig extends Partial<BooleanTaskOptions> {
  /**
   * The target as a spec string (`parity:[0,5]`, `parity:n/2`, `expr:x[0]*x[1]`, `table:0110`;
   * see target-spec.ts) or parsed, in place of family, k and t.
   */
  target?: string | TargetSpec;
}

/** The spec string a config's family, k and t stand for, e.g. `parity:3`, `threshold:5:2`, `majority`. */
export function booleanTargetSpec(o: Pick<BooleanTaskOptions, 'family' | 'k' | 't'>): string {
  if (o.family === 'majority' && o.k === 0) return 'majority';
  return o.family === 'threshold' ? `threshold:${o.k}:${o.t}` : `${o.family}:${o.k}`;
}

/** A Boolean-target task that also exposes its target. */
export interface BooleanTask extends Task {
  readonly target: BooleanTarget;
  readonly noise: number;
  sampleHost(count: number, rng: Rng): { x: Float32Array; y: Float32Array };
}

/** Draw order (fixed): all count·n signs, then one uniform per example when η > 0. */
function draw(target: BooleanTarget, count: number, noise: number, rng: Rng): { x: Float32Array; y: Float32Array } {
  assertDraw('boolean-target', count, rng);
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

/**
 * The task, from a target family with its sizes or a `target` spec. Throws one `ConfigError`
 * listing every bad option as `boolean-target.<field>: message` (and a bad target spec).
 */
export function createBooleanTask(config: BooleanTaskConfig = {}): BooleanTask {
  const { target: spec, ...options } = config;
  if (spec === undefined) {
    const o = resolveOptions('boolean-target', BOOLEAN_TASK_SCHEMA, options);
    return taskOf(booleanTargetSpec(o), o);
  }
  const both = TARGET_FIELDS.filter((k) => options[k] !== undefined);
  if (both.length > 0)
    throw new ConfigError(
      both.map((k) => ({ path: `boolean-target.${k}`, message: 'give a target spec or family, k and t, not both' })),
    );
  return taskOf(spec, resolveOptions('boolean-target', SPEC_SCHEMA, options));
}

function taskOf(
  spec: string | TargetSpec,
  { n, noise, seed }: { n: number; noise: number; seed: number },
): BooleanTask {
  const target = createTarget(spec, { n, seed });
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
