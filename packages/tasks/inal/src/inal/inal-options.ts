/**
 * The INAL measurement's options, each default written once with its reason: `INAL_SCHEMA` for one
 * `measureInal`, `INAL_SERIES_SCHEMA` for a series over n (`measureInalSeries`: those options plus
 * the sizes, the initialisations and the estimator). The CLI's `inal` command, the
 * `inal-learnability` experiment and the lab's INAL form spread these fields, with their own
 * defaults and limits where they differ on purpose.
 */
import { defineSchema } from '@learnability/core';
import { BOOLEAN_TASK_SCHEMA } from '../boolean-task.js';
import type { OptionsOf } from '@learnability/core';

export const INAL_SCHEMA = defineSchema(
  {
    method: {
      type: 'enum',
      values: ['auto', 'exact', 'sampled'],
      default: 'auto',
      doc: 'exact: all 2^n inputs; sampled: `samples` per init; auto: exact when n ≤ exactMaxBits',
    },
    exactMaxBits: {
      type: 'int',
      default: 16,
      min: 0,
      max: 30,
      doc: 'enumerate all 2^n inputs when n ≤ this (method auto)',
      why: '2^16 = 65,536 inputs, as many as the default samples: above it sampling costs less',
    },
    samples: {
      type: 'int',
      default: 65_536,
      min: 2,
      doc: 'inputs per initialisation when sampled',
      unit: 'inputs',
      why: 'resolves INAL down to about 5e-7 at n = 32–64 with 16–32 inits (docs/reproductions/inal.md)',
    },
    pilotSamples: {
      type: 'int',
      default: 2_048,
      min: 1,
      doc: "inputs per initialisation of the pilot pass that finds each neuron's mean (sampled only)",
      unit: 'inputs',
    },
    seed: {
      type: 'int',
      default: 0,
      min: 0,
      max: 2 ** 31,
      doc: 'replica r is initialised from seed + r; sampled inputs are forked from it',
    },
    confidence: {
      type: 'number',
      default: 0.95,
      min: 0,
      exclusiveMin: true,
      max: 1,
      doc: 'level of every confidence interval',
    },
    pooledMinWidth: {
      type: 'int',
      default: 2,
      min: 1,
      doc: '`pooled` considers only layers with at least this many units (unless none has)',
      unit: 'units',
      why: 'a width-1 readout has nothing to average, and its single noisy value would win the max',
    },
  },
  [
    {
      paths: ['confidence'],
      test: (o) => o.confidence < 1,
      message: (o) => `must be below 1 (a 100 % interval has no finite bound), but got ${o.confidence}`,
    },
  ],
);

/**
 * A first look at a series, as the `inal` command and the lab's INAL explorer take one: a quarter of
 * the samples, and exact enumeration up to as many inputs.
 */
export const INAL_FIRST_LOOK_FIELDS = {
  samples: {
    ...INAL_SCHEMA.fields.samples,
    default: 16_384,
    why: `a quarter of the full measurement's ${INAL_SCHEMA.fields.samples.default}: ¼ of the time at 4× its noise floor`,
  },
  exactMaxBits: {
    ...INAL_SCHEMA.fields.exactMaxBits,
    default: 14,
    why: '2^14 = 16,384 inputs, as many as the samples: above it sampling costs less',
  },
} as const;

/** One measurement's validated options. */
export type InalOptions = OptionsOf<typeof INAL_SCHEMA.fields>;

const SERIES_FIELDS = {
  ns: {
    type: 'int[]',
    default: [8, 16, 32],
    min: 1,
    // The Boolean task's own limit, so a bad n is named as this option rather than the task's `n`.
    max: BOOLEAN_TASK_SCHEMA.fields.n.max,
    distinct: true,
    doc: 'input sizes n, measured in this order',
  },
  inits: {
    type: 'int',
    default: 16,
    min: 2,
    doc: "initialisations R, run as one batched program (the model's replicas)",
    why: 'as in the reproductions (docs/reproductions/inal.md: 16–32)',
  },
  estimator: {
    type: 'enum',
    values: ['pooled', 'max'],
    default: 'pooled',
    doc: 'pooled: best layer average over neurons and inits; max: max over neurons (the definition, biased up)',
    why: "INAL when a layer's neurons are exchangeable at init, without the max's upward bias",
  },
  ...INAL_SCHEMA.fields,
} as const;

// The type argument keeps the measurement's rules from narrowing the inferred fields to its own.
export const INAL_SERIES_SCHEMA = defineSchema<typeof SERIES_FIELDS>(SERIES_FIELDS, INAL_SCHEMA.checks);

/** A series' validated options. */
export type InalSeriesOptions = OptionsOf<typeof INAL_SERIES_SCHEMA.fields>;
