import { defineSchema, staircaseFields } from '@learnability/core';
import type { FieldCheck, FieldSpecs, OptionsOf } from '@learnability/core';
import type { DimsCurriculum } from './dims-curriculum.js';
import type { FunctionFamily } from './function-family.js';

/**
 * Every family's options: the prompt size (d = 20 and P = 41 are the paper's) and the dims
 * curriculum as flat fields (Garg et al. 2022: 5 → 20, +1 every 2,000 steps; a null start: all d
 * from the start).
 */
const PROMPT_FIELDS = {
  dims: { type: 'int', default: 20, min: 1, doc: 'input dimension d', why: 'Yang et al. 2023' },
  points: {
    type: 'int',
    default: 41,
    min: 1,
    doc: 'points per prompt P (2P tokens; predictions after 0..P−1 examples)',
    why: 'Yang et al. 2023',
  },
  ...staircaseFields('dims', 'dims curriculum', 'active coordinates at first (null: all d; the paper: 5)', 1, 2_000),
} as const satisfies FieldSpecs;

/** The option each family adds to the prompt's: its function class's size. */
const FAMILY_FIELDS = {
  noiseStd: {
    type: 'number',
    default: 0.1,
    min: 0,
    doc: 'label noise std σ',
    why: "the authors' code (Leiay/looped_transformer, scripts/tasks.py: NoisyLinearRegression std=0.1); docs/papers.md gives none",
  },
  sparsity: { type: 'int', default: 3, min: 1, doc: 'nonzeros s of w', why: 'Yang et al. 2023' },
  depth: {
    type: 'int',
    default: 4,
    min: 1,
    max: 16,
    doc: 'tree depth',
    why: 'Yang et al. 2023 (Garg et al. 2022): 31 nodes',
  },
  hidden: { type: 'int', default: 100, min: 1, doc: 'hidden units h', why: 'Yang et al. 2023' },
} as const satisfies FieldSpecs;

const firstStepAtMostDims: FieldCheck<void, { dims: number; dimsStart: number | null }> = {
  paths: ['dimsStart', 'dims'],
  test: (o) => o.dimsStart === null || o.dimsStart <= o.dims,
  message: (o) => `the first curriculum step must be ≤ dims (${o.dims}), but got ${o.dimsStart}`,
};

const sparsityAtMostDims: FieldCheck<void, { dims: number; sparsity: number }> = {
  paths: ['sparsity', 'dims'],
  test: (o) => o.sparsity <= o.dims,
  message: (o) => `the nonzeros of w must be ≤ dims (${o.dims}), but got ${o.sparsity}`,
};

const { noiseStd, sparsity, depth, hidden } = FAMILY_FIELDS;
const SCHEMAS = {
  'linear-regression': defineSchema({ ...PROMPT_FIELDS }, [firstStepAtMostDims]),
  'noisy-linear-regression': defineSchema({ ...PROMPT_FIELDS, noiseStd }, [firstStepAtMostDims]),
  'sparse-linear-regression': defineSchema({ ...PROMPT_FIELDS, sparsity }, [firstStepAtMostDims, sparsityAtMostDims]),
  'decision-tree': defineSchema({ ...PROMPT_FIELDS, depth }, [firstStepAtMostDims]),
  'relu-net': defineSchema({ ...PROMPT_FIELDS, hidden }, [firstStepAtMostDims]),
};

/** The options of one family's task: the prompt's and its own (`sparsity` for sparse regression, …). */
export const inContextSchema = <F extends FunctionFamily>(family: F): (typeof SCHEMAS)[F] => SCHEMAS[family];

/** Every family's options together (a family reads the prompt's and its own). */
export const IN_CONTEXT_FIELDS = { ...PROMPT_FIELDS, ...FAMILY_FIELDS } as const satisfies FieldSpecs;

export type InContextOptions = OptionsOf<typeof IN_CONTEXT_FIELDS>;

/** An in-context regression task: every prompt has its own function from `family`; options not given take their defaults. */
export interface InContextTaskConfig extends Partial<InContextOptions> {
  /** The function class. Required. */
  family: FunctionFamily;
}

/** The options, with the dims curriculum as one schedule (null: off). */
export interface ResolvedInContextTaskConfig
  extends Omit<InContextOptions, 'dimsStart' | 'dimsIncrement' | 'dimsInterval'> {
  family: FunctionFamily;
  dimsCurriculum: DimsCurriculum | null;
}
