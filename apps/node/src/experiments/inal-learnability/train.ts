/**
 * One training run of the experiment: a target spec at n as a registry task config, and what the
 * tables keep of its summary.
 */
import type { RunSummary } from '@learnability/core';
import { parseTargetSpec, resolveCount } from '@learnability/inal';
import { UsageError } from '../../cli-error.js';
import type { TrainerId } from './settings.js';

export interface TrainResult {
  trainer: TrainerId;
  /** Final test accuracy per replica. */
  accuracy: number[];
  /** Mean final test accuracy over replicas. */
  meanAccuracy: number;
  /** Fraction of replicas that reached the learned threshold. */
  successRate: number;
  /** Median step at which replicas learned, or null. */
  learnedAtStep: number | null;
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

/** What the tables keep of one run (R replicas in one batched program). */
export function trainResult(trainer: TrainerId, summary: RunSummary): TrainResult {
  const accuracy = summary.replicas.map((r) => r.testAccuracy ?? Number.NaN);
  return {
    trainer,
    accuracy,
    meanAccuracy: accuracy.reduce((a, b) => a + b, 0) / accuracy.length,
    successRate: summary.successRate,
    learnedAtStep: summary.learnedAtStep,
    steps: summary.steps,
    wallSeconds: summary.wallSeconds,
  };
}
