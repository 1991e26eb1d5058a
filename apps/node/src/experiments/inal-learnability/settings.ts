/**
 * The "INAL predicts learnability" experiment of Abbe, Cornacchia, Hązła, Marquis 2022 (docs/papers.md §3)
 * at a scale that runs in minutes on two CPU cores: which targets, which n, which trainers, the
 * run config of each (target, n, trainer), and what the tables keep of its summary.
 */
import { censoredMedian } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { INAL_SCHEMA, INAL_SERIES_SCHEMA, parseTargetSpec, resolveCount } from '@learnability/inal';
import { UsageError } from '../../cli-error.js';
import type { FlagSpecs, FlagValues } from '../../schema-flags.js';

export type TrainerId = 'noisy-gd' | 'sgd';
export const TRAINER_IDS: readonly TrainerId[] = ['noisy-gd', 'sgd'];

/** INAL is computed exactly (every input) up to this n, sampled above: the measurement's own default. */
export const EXACT_MAX_BITS = INAL_SCHEMA.fields.exactMaxBits.default;
/** Noisy GD trains full batch on a fixed training set of this many examples. */
export const TRAIN_SET = 2_048;
/** Online SGD draws this many fresh examples per step (per replica). */
export const SGD_BATCH = 32;
/** Steps between evaluations, so between the steps a learned-at step can take, per trainer. */
export const EVAL_EVERY: Readonly<Record<TrainerId, number>> = { 'noisy-gd': 50, sgd: 250 };

/**
 * The scale, as flags. The targets: three with noticeable INAL (~n^−1, n^−1, n^−2), one slower,
 * and a high-degree parity.
 */
export const SCALE_FLAGS = {
  targets: {
    type: 'string[]',
    default: ['staircase:4', 'majority', 'parity:2', 'parity:3', 'parity:n/2'],
    doc: 'target specs',
  },
  n: { type: 'int[]', default: [8, 16, 32, 64], min: 1, max: INAL_SERIES_SCHEMA.fields.ns.max, doc: 'input sizes' },
  trainers: { type: 'string[]', default: [...TRAINER_IDS], values: TRAINER_IDS, doc: 'trainers' },
  inits: { ...INAL_SERIES_SCHEMA.fields.inits, doc: 'INAL initialisations' },
  samples: {
    ...INAL_SERIES_SCHEMA.fields.samples,
    doc: `INAL inputs per init when sampled (exact up to n = ${EXACT_MAX_BITS})`,
  },
  'noisy-steps': { type: 'int', default: 400, min: 0, doc: `noisy GD steps, full batch of ${TRAIN_SET} examples` },
  'sgd-steps': { type: 'int', default: 4_000, min: 0, doc: `SGD steps, batch ${SGD_BATCH}, fresh samples` },
  replicas: { type: 'int', default: 2, min: 1, doc: 'training seeds per run' },
} as const satisfies FlagSpecs;

export type Scale = FlagValues<typeof SCALE_FLAGS>;

/**
 * The network of the theorem's setting: fully connected, i.i.d. zero-mean init with variance
 * 1/fan-in, biases included (`fan-in`; with zero biases odd parities have INAL exactly 0, see
 * docs/reproductions/inal.md). Width 256 keeps a run within seconds here.
 */
export const MODEL = { name: 'dense', widths: [256], activation: 'relu', bias: 'fan-in' } as const;

/** Test accuracy that counts as learned, and at which a run stops early. */
export const LEARNED = 0.95;

/** The raw run config of one (target, n, trainer); `task` comes from `taskConfig`. */
export function runConfig(
  task: Record<string, unknown>,
  trainer: TrainerId,
  scale: Scale,
  seed: number,
  backend: string,
): Record<string, unknown> {
  const common = { testSize: 2_000, replicas: scale.replicas, seed, learnedThreshold: LEARNED, stopWhenLearned: true };
  return trainer === 'noisy-gd'
    ? {
        task,
        model: MODEL,
        // Abbe & Sandon's noisy GD: θ ← θ − γ([∇L]_A + N(0, τ²)), full batch (batch = training set).
        trainer: { name: 'noisy-gd', lr: 0.5, clip: 1, noise: 0.01, loss: 'hinge' },
        run: {
          ...common,
          steps: scale['noisy-steps'],
          batchSize: TRAIN_SET,
          trainSetSize: TRAIN_SET,
          evalEvery: EVAL_EVERY['noisy-gd'],
        },
        backend,
      }
    : {
        task,
        model: MODEL,
        // Barak et al.'s online protocol without weight decay: hinge, lr 0.1, batch 32, fresh samples.
        trainer: { name: 'sgd', lr: 0.1, loss: 'hinge' },
        run: { ...common, steps: scale['sgd-steps'], batchSize: SGD_BATCH, evalEvery: EVAL_EVERY.sgd },
        backend,
      };
}

export interface TrainResult {
  trainer: TrainerId;
  /** Final test accuracy per replica (NaN for one never scored: diverged before its first evaluation). */
  accuracy: number[];
  /** Mean final test accuracy over the replicas that were scored. */
  meanAccuracy: number;
  /** Fraction of replicas that reached the learned threshold. */
  successRate: number;
  /**
   * Median step at which the replicas learned (the first evaluation at the threshold), one that did
   * not counted as never: null unless more than half learned (`censoredMedian`).
   */
  learnedAtStep: number | null;
  /** The run's first evaluation: learned there, a replica learned somewhere in 1..this step. */
  firstEvalStep: number;
  /**
   * Expected share of the 2ⁿ inputs among a replica's training examples (`domainShareSeen`), which is
   * also the expected share of its uniform test inputs that it trained on.
   */
  trainedOnShare: number;
  steps: number;
  wallSeconds: number;
}

/** The `boolean-target` task config for `spec` at n (registry families only: the experiment's runs are plain configs). */
export function taskConfig(spec: string, n: number, seed: number): Record<string, unknown> {
  const parsed = parseTargetSpec(spec);
  if (parsed.family === 'expr' || parsed.family === 'table')
    throw new UsageError(
      `inal-learnability: target "${spec}" has no run config; use a family with <k> (parity, majority, staircase, junta, and, or, threshold, random)`,
    );
  if (parsed.arity !== null && 'indices' in parsed.arity)
    throw new UsageError(`inal-learnability: target "${spec}": give <k> as a count, not a list of coordinates`);
  const k = parsed.arity === null ? 0 : resolveCount(parsed.arity.count, n);
  return {
    name: 'boolean-target',
    family: parsed.family,
    n,
    k,
    ...(parsed.family === 'threshold' ? { t: parsed.t } : {}),
    seed,
  };
}

/**
 * Expected share of the 2ⁿ inputs that m uniform examples hold, 1 − (1 − 2⁻ⁿ)^m. Near 1 (n = 8 and
 * 2,048 examples: 0.9997) the test inputs were trained on, and test accuracy measures fitting the
 * training set rather than generalising from it.
 */
export const domainShareSeen = (n: number, examples: number): number => -Math.expm1(examples * Math.log1p(-(2 ** -n)));

/** The replicas' accuracies that were scored: one that diverged before its first evaluation has none (NaN). */
export const scoredAccuracies = (accuracy: readonly number[]): number[] => accuracy.filter((a) => !Number.isNaN(a));

/** The mean; NaN for no values. */
const mean = (v: readonly number[]): number => (v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length);

/**
 * What the tables keep of one run (R replicas in one batched program) at n; `firstEvalStep` from its
 * record. A replica's training examples: noisy GD's fixed set, or SGD's fresh batches until it stopped.
 */

export function trainResult(trainer: TrainerId, n: number, summary: RunSummary, firstEvalStep: number): TrainResult {
  const accuracy = summary.replicas.map((r) => r.testAccuracy ?? Number.NaN);
  const examples = trainer === 'noisy-gd' ? TRAIN_SET : summary.steps * SGD_BATCH;
  return {
    trainer,
    accuracy,
    // Over the replicas that were scored (one that diverged before its first evaluation has none).
    meanAccuracy: mean(scoredAccuracies(accuracy)),
    successRate: summary.successRate,
    learnedAtStep: censoredMedian(summary.replicas.map((r) => r.learnedAtStep)),
    firstEvalStep,
    trainedOnShare: domainShareSeen(n, examples),
    steps: summary.steps,
    wallSeconds: summary.wallSeconds,
  };
}
