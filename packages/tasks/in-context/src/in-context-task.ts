import * as tf from '@tensorflow/tfjs-core';
import { assert, assertInt, createRng } from '@learnability/core';
import type { Batch, Rng, Task } from '@learnability/core';
import { sampleDecisionTree } from './decision-tree.js';
import { activeDims, checkDimsCurriculum } from './dims-curriculum.js';
import type { DimsCurriculum } from './dims-curriculum.js';
import { FUNCTION_FAMILIES } from './function-family.js';
import type { FunctionFamily, PromptFunction } from './function-family.js';
import { sampleLinearFunction } from './linear-function.js';
import { writePoint } from './prompt-layout.js';
import { sampleReluNet } from './relu-net.js';

/** An in-context regression task: every prompt has its own function from `family` (PAPERS.md §5). */
export interface InContextTaskConfig {
  /** The function class. Required. */
  family: FunctionFamily;
  /** Input dimension d. Default 20 (the paper's). */
  dims?: number;
  /** Points per prompt P (the prompt has 2P tokens; predictions after 0..P−1 examples). Default 41 (the paper's). */
  points?: number;
  /** `noisy-linear-regression`: std σ of the Gaussian label noise (context and targets alike). Default 1 (our choice; PAPERS.md gives none). */
  noiseStd?: number;
  /** `sparse-linear-regression`: nonzeros s of w. Default 3 (the paper's). */
  sparsity?: number;
  /** `decision-tree`: depth. Default 4 (the paper's: 31 nodes). */
  depth?: number;
  /** `relu-net`: hidden units h. Default 100 (the paper's). */
  hidden?: number;
  /** Dimension curriculum during training (Garg et al. 2022: 5 → 20, +1 every 2,000 steps). Default null: all d from the start. */
  dimsCurriculum?: DimsCurriculum | null;
}

export type ResolvedInContextTaskConfig = Required<InContextTaskConfig>;

export const IN_CONTEXT_DEFAULTS: Omit<ResolvedInContextTaskConfig, 'family'> = {
  dims: 20,
  points: 41,
  noiseStd: 1,
  sparsity: 3,
  depth: 4,
  hidden: 100,
  dimsCurriculum: null,
};

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

/** Validates and fills an InContextTaskConfig. */
export function resolveInContextTaskConfig(config: InContextTaskConfig): ResolvedInContextTaskConfig {
  const c: ResolvedInContextTaskConfig = { ...IN_CONTEXT_DEFAULTS, ...config };
  assert(
    FUNCTION_FAMILIES.includes(c.family),
    () => `in-context.family must be one of ${FUNCTION_FAMILIES.join(', ')}, but got ${String(c.family)}`,
  );
  assertInt('in-context.dims', c.dims, 1);
  assertInt('in-context.points', c.points, 1);
  assertInt(
    'in-context.sparsity',
    c.sparsity,
    1,
    c.family === 'sparse-linear-regression' ? c.dims : Number.MAX_SAFE_INTEGER,
  );
  assertInt('in-context.depth', c.depth, 1, 16);
  assertInt('in-context.hidden', c.hidden, 1);
  assert(
    Number.isFinite(c.noiseStd) && c.noiseStd >= 0,
    () => `in-context.noiseStd must be ≥ 0, but got ${c.noiseStd}`,
  );
  if (c.dimsCurriculum) checkDimsCurriculum('in-context.dimsCurriculum', c.dimsCurriculum, c.dims);
  return c;
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

/** Host prompts as a Batch: x (N, 2P, d), y (N, P), with the host arrays attached. */
export function promptBatch(host: { x: Float32Array; y: Float32Array }, points: number, dims: number): Batch {
  const n = host.y.length / points;
  return { x: tf.tensor3d(host.x, [n, 2 * points, dims]), y: tf.tensor2d(host.y, [n, points]), host };
}

/** The in-context regression task (Garg et al. 2022; Yang et al. 2023). */
export function createInContextTask(config: InContextTaskConfig): InContextTask {
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
    describe: () => ({ name: c.family, ...c, dimsCurriculum: c.dimsCurriculum ? { ...c.dimsCurriculum } : null }),
  };
}
