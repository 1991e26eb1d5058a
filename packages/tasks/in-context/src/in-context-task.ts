import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  assert,
  assertConfigObject,
  assertDraw,
  assertInt,
  createRng,
  resolveOptions,
} from '@learnability/core';
import type { Batch, PartSchema, Rng, Task } from '@learnability/core';
import { sampleDecisionTree } from './decision-tree.js';
import { activeDims } from './dims-curriculum.js';
import { IN_CONTEXT_FIELDS, inContextSchema } from './in-context-config.js';
import type { InContextTaskConfig, ResolvedInContextTaskConfig } from './in-context-config.js';
import { FUNCTION_FAMILIES } from './function-family.js';
import type { PromptFunction } from './function-family.js';
import { sampleLinearFunction } from './linear-function.js';
import { writePoint } from './prompt-layout.js';
import { sampleReluNet } from './relu-net.js';

/** A task in the interleaved layout: x (N, 2P, d), y (N, P), outputKind 'real'. */
export interface InContextTask extends Task {
  readonly config: ResolvedInContextTaskConfig;
  readonly dims: number;
  readonly points: number;
  /**
   * E[f(x)²], the squared error of predicting 0, which the paper divides errors by: d (linear,
   * noisy linear — the paper's convention, noise excluded — and the ReLU net), s (sparse), 1 (tree).
   */
  readonly errorScale: number;
  sampleHost(count: number, rng: Rng, step?: number): { x: Float32Array; y: Float32Array };
}

function drawFunction(c: ResolvedInContextTaskConfig, active: number, rng: Rng): PromptFunction {
  switch (c.family) {
    case 'linear-regression':
    case 'noisy-linear-regression':
      return sampleLinearFunction(c.dims, active, rng).f;
    case 'sparse-linear-regression':
      return sampleLinearFunction(c.dims, active, rng, c.sparsity).f;
    case 'decision-tree':
      return sampleDecisionTree(active, c.depth, rng).f;
    case 'relu-net':
      return sampleReluNet(c.dims, active, c.hidden, rng).f;
  }
}

/**
 * `count` prompts: x (count · 2P · d), y (count · P). Per prompt the draws are, in order: the
 * function, the P inputs (the active coordinates of each, point by point), then the P noises
 * (noisy family only).
 */
export function sampleInContextPrompts(
  c: ResolvedInContextTaskConfig,
  count: number,
  rng: Rng,
  step?: number,
): { x: Float32Array; y: Float32Array } {
  // A NaN count would give an empty batch, −1 a raw RangeError; a NaN step an all-zero prompt.
  assertDraw('in-context', count, rng);
  if (step !== undefined) assertInt('in-context: the training step (1-based)', step, 1);
  const { dims, points } = c;
  const active = activeDims(dims, c.dimsCurriculum, step);
  const x = new Float32Array(count * 2 * points * dims);
  const y = new Float32Array(count * points);
  const inputs = new Float32Array(points * dims);
  for (let p = 0; p < count; p++) {
    const f = drawFunction(c, active, rng);
    inputs.fill(0);
    for (let i = 0; i < points; i++) rng.normals(inputs.subarray(i * dims, i * dims + active));
    for (let i = 0; i < points; i++) {
      let value = f(inputs, i * dims);
      if (c.family === 'noisy-linear-regression') value += c.noiseStd * rng.normal();
      writePoint(x, p, i, points, dims, inputs, i * dims, value);
      y[p * points + i] = value;
    }
  }
  return { x, y };
}

/** Validates and fills an InContextTaskConfig: `ConfigError` listing every bad option as `<family>.<option>: …`. */
export function resolveInContextTaskConfig(config: InContextTaskConfig): ResolvedInContextTaskConfig {
  const { family } = config;
  assert(
    FUNCTION_FAMILIES.includes(family),
    () => `in-context.family must be one of ${FUNCTION_FAMILIES.join(', ')}, but got ${String(family)}`,
  );
  // Another family's option (depth on linear regression) would be ignored: refused, as the
  // presets' per-family schemas refuse it, naming the families that read it; with every other
  // problem of the config, at once.
  const own = Object.keys(inContextSchema(family).fields);
  const foreign = Object.keys(config)
    .filter(
      (key) =>
        Object.hasOwn(IN_CONTEXT_FIELDS, key) &&
        !own.includes(key) &&
        config[key as keyof InContextTaskConfig] !== undefined,
    )
    .map((key) => ({
      path: `${family}.${key}`,
      message: `the ${family} family does not read it (${FUNCTION_FAMILIES.filter((f) => key in inContextSchema(f).fields).join(', ')} does); leave it out`,
    }));
  // Every option is checked, and the family's rules run on them.
  const schema: PartSchema<typeof IN_CONTEXT_FIELDS> = {
    fields: IN_CONTEXT_FIELDS,
    checks: inContextSchema(family).checks,
  };
  const resolve = () => {
    try {
      return resolveOptions(family, schema, config, ['family']);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const paths = new Set(foreign.map((f) => f.path));
      throw new ConfigError([...foreign, ...e.issues.filter((issue) => !paths.has(issue.path))]);
    }
  };
  const resolved = resolve();
  if (foreign.length > 0) throw new ConfigError(foreign);
  const { dimsStart, dimsIncrement, dimsInterval, ...c } = resolved;
  const dimsCurriculum =
    dimsStart === null ? null : { start: dimsStart, increment: dimsIncrement, interval: dimsInterval };
  return { ...c, family, dimsCurriculum };
}

function errorScaleOf(c: ResolvedInContextTaskConfig): number {
  switch (c.family) {
    case 'sparse-linear-regression':
      return c.sparsity;
    case 'decision-tree':
      return 1;
    default:
      return c.dims;
  }
}

/**
 * Host prompts as a Batch: x (N, 2P, d), y (N, P), with the host arrays attached. The tensors get
 * their own copies: the cpu backend keeps the array it is given, so a caller's write to `host`
 * would change the batch.
 */
export function promptBatch(host: { x: Float32Array; y: Float32Array }, points: number, dims: number): Batch {
  const n = host.y.length / points;
  return {
    x: tf.tensor3d(host.x.slice(), [n, 2 * points, dims]),
    y: tf.tensor2d(host.y.slice(), [n, points]),
    host,
  };
}

/**
 * The task as a record shows it: its family's own options only (a linear-regression record listed
 * the other families' defaults, noiseStd and depth among them, as if they applied), the dims
 * curriculum as one schedule.
 */
function describeTask(c: ResolvedInContextTaskConfig): Record<string, unknown> {
  const own = Object.keys(inContextSchema(c.family).fields).filter((k) => !k.startsWith('dims') || k === 'dims');
  return {
    name: c.family,
    family: c.family,
    ...Object.fromEntries(own.map((k) => [k, c[k as keyof ResolvedInContextTaskConfig]])),
    dimsCurriculum: c.dimsCurriculum ? { ...c.dimsCurriculum } : null,
  };
}

/** The in-context regression task (Garg et al. 2022; Yang et al. 2023). */
export function createInContextTask(config: InContextTaskConfig): InContextTask {
  assertConfigObject('in-context', config, "{ family: 'linear-regression', dims: 20, points: 41 }");
  const c = resolveInContextTaskConfig(config);
  const sampleHost = (count: number, rng: Rng, step?: number) => sampleInContextPrompts(c, count, rng, step);
  return {
    name: c.family,
    config: c,
    dims: c.dims,
    points: c.points,
    errorScale: errorScaleOf(c),
    inputShape: [2 * c.points, c.dims],
    outputSize: c.points,
    outputKind: 'real',
    layout: 'sequence',
    sampleHost,
    sample: (count, rng, step) => promptBatch(sampleHost(count, rng, step), c.points, c.dims),
    testSet: (count, seed) => promptBatch(sampleHost(count, createRng(seed).fork('in-context-test')), c.points, c.dims),
    describe: () => describeTask(c),
  };
}
