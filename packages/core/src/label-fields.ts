/**
 * Field specs and rules that the tasks with a hidden k-subset of n ±1 bits share (sparse parity,
 * in-context parity, the Boolean targets): one spec, one message, in the package they all use.
 */
import type { FieldCheck, FieldSpec } from './schema.js';

/** `noise` of a task with ±1 labels: the probability η that a training label is flipped. */
export const labelNoiseField = (fallback: number, why?: string) =>
  ({
    type: 'number',
    default: fallback,
    min: 0,
    max: 0.5,
    doc: 'label-flip probability η of training labels (test labels are clean)',
    ...(why === undefined ? {} : { why }),
  }) as const satisfies FieldSpec;

/** The degree k of a target on n bits: at most n. */
export const kAtMostN: FieldCheck<void, { k: number; n: number }> = {
  paths: ['k', 'n'],
  test: (o) => o.k <= o.n,
  message: (o) => `must be ≤ n (${o.n}), but got ${o.k}`,
};
