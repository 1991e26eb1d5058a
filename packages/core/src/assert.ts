import { Tensor } from '@tensorflow/tfjs-core';
import type { Params } from './contracts.js';
import { LearnabilityError } from './errors.js';

/** Throws a LearnabilityError with `message` when `condition` is false. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new LearnabilityError(typeof message === 'function' ? message() : message);
}

/**
 * A value as a message shows it: a string quoted and named, since "1" printed as 1 reads as a
 * number; a plain object or list written out (`{ neighbours: 3 }`, `[1, NaN]`), since String()
 * gives "[object Object]" and JSON turns NaN into null; any other object by its class
 * (`a Tensor`), never its insides. Past 80 characters, only what it is (`a list of 100`).
 */
export const showValue = (value: unknown): string => {
  if (typeof value === 'string') {
    if (value.length <= 80 && !/[\n\r]/.test(value)) return `"${value}" (a string)`;
    // One line, as every message is: escaped, and past 60 characters cut.
    const head = JSON.stringify(value.slice(0, 60));
    return value.length > 60 ? `${head.slice(0, -1)}…" (a string of ${value.length} characters)` : `${head} (a string)`;
  }
  return written(value, 0) ?? (Array.isArray(value) ? `a list of ${value.length}` : 'an object');
};

/** `value` written out within 80 characters, or undefined; nested at `depth` (strings quoted bare). */
function written(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`; // String() drops the n: it read as a number
  if (typeof value === 'function') return 'a function'; // not its source, lines of it
  if (typeof value !== 'object' || value === null) return String(value);
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    const name: unknown = proto?.constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  if (depth > 3) return undefined; // deep or circular
  const parts = Array.isArray(value)
    ? value.map((v) => written(v, depth + 1))
    : Object.entries(value).map(([k, v]) => {
        const w = written(v, depth + 1);
        return w === undefined ? undefined : `${k}: ${w}`;
      });
  if (parts.some((p) => p === undefined)) return undefined;
  const text = Array.isArray(value) ? `[${parts.join(', ')}]` : parts.length ? `{ ${parts.join(', ')} }` : '{}';
  return text.length <= 80 ? text : undefined;
}

/**
 * A model's input as a refusal shows it: its shape, or, from plain JS, that it is no tensor at all
 * (a nested array has no shape to print).
 */
export const showShape = (x: unknown): string =>
  x instanceof Tensor ? `[${x.shape.join(', ')}]` : 'no tensor (make one with tf.tensor first)';

const sameShape = (actual: readonly number[], expected: readonly number[]): boolean =>
  actual.length === expected.length && actual.every((d, i) => d === expected[i]);

/** Asserts an integer in [min, max]; the message names the parameter. */
export function assertInt(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  assert(
    Number.isInteger(value) && value >= min && value <= max,
    () =>
      `${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`}, but got ${showValue(value)}`,
  );
}

/**
 * Asserts a task's draw: a whole count ≥ 0 and a generator. From plain JS a count of 2.5 or NaN
 * gave ragged or empty batches, and a seed where the generator goes a TypeError naming no argument.
 */
export function assertDraw(task: string, count: number, rng: unknown): void {
  assertInt(`${task}: the sample count`, count, 0);
  assert(
    typeof (rng as { nextUint32?: unknown } | null)?.nextUint32 === 'function',
    () =>
      `${task}: expected a generator (createRng(seed) from @learnability/core), but got ${typeof rng === 'object' && rng !== null ? 'an object without nextUint32' : showValue(rng)}; a task's testSet takes a seed, its sample a generator`,
  );
}

/**
 * Asserts a model's `init(rngs)` argument: one generator per replica. From plain JS a seed or a
 * list of numbers failed on `rng.fork` with a TypeError, and a single generator on `.length`.
 */
export function assertRngs(model: string, rngs: unknown, replicas: number): void {
  const isRng = (r: unknown) => typeof (r as { fork?: unknown } | null)?.fork === 'function';
  const generators = Array.isArray(rngs) && rngs.every(isRng);
  if (generators && rngs.length === replicas) return;
  // Described only when refused: init runs this once per model, the description walks the list.
  const got = generators
    ? String(rngs.length)
    : Array.isArray(rngs)
      ? `a list of ${rngs.map((r) => (isRng(r) ? 'generator' : showValue(r))).join(', ')}`
      : isRng(rngs)
        ? 'one generator, not a list'
        : showValue(rngs);
  throw new LearnabilityError(
    `${model}.init: expected ${replicas} generator${replicas === 1 ? '' : 's'} (one per replica: replicaRngs(seed, ${replicas}) from @learnability/core), but got ${got}`,
  );
}

/** Asserts that a tensor-like shape equals the expected one. */
export function assertShape(name: string, actual: readonly number[], expected: readonly number[]): void {
  assert(
    sameShape(actual, expected),
    () => `${name} must have shape [${expected.join(', ')}], but got [${actual.join(', ')}]`,
  );
}

/**
 * Asserts that a factory got a config object: called with none (plain JS), it would fail on a
 * property read with a TypeError that names no option.
 */
export function assertConfigObject(name: string, config: unknown, example: string): void {
  assert(
    typeof config === 'object' && config !== null && !Array.isArray(config),
    () =>
      `${name}: expected a config object, e.g. ${example}, but got ${config === undefined ? 'none' : JSON.stringify(config)}`,
  );
}

/**
 * Asserts that `params` holds each named tensor at its shape (replica axis first), before a model
 * runs: parameters of another config (another width, another replica count) would broadcast
 * silently, or fail deep inside TF.js in its own words. `shapes` is made once, when the model is.
 */
export function assertParamShapes(
  model: string,
  params: Params,
  shapes: readonly (readonly [name: string, shape: readonly number[]])[],
): void {
  assert(
    typeof params === 'object' && params !== null && !Array.isArray(params),
    () => `${model}: params must be the tensors that init(rngs) returns, but got ${showValue(params)}`,
  );
  for (const [name, want] of shapes) {
    const t = params[name];
    assert(t !== undefined, () => `${model}: params has no "${name}"; use params from init of a model of this config`);
    assert(
      !t.isDisposed,
      () =>
        `${model}: params.${name} was disposed (a trainer's step consumes the state it is given); use the params of the state it returned`,
    );
    assert(
      sameShape(t.shape, want),
      () =>
        `${model}: params.${name} must have shape [${want.join(', ')}], but got [${t.shape.join(', ')}]; use params from init of a model of this config`,
    );
  }
}
