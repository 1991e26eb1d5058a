/**
 * The parameter-count explorer's computation: dense MLP vs RCNN (Goel et al. 2022) vs looped and
 * standard transformers (Yang et al. 2023), each built from the project's own presets through the
 * config schema and counted from the shapes of the parameters `model.init` returns — never from
 * a formula typed in here. The comparisons are the ones docs/reproductions/rcnn.md and
 * looped-transformer.md report: parameters vs the input size n, vs depth (layers, unroll steps
 * T, loops b), and at paper scale.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defaultsOf, defineSchema, replicaRngs } from '@learnability/core';
import type { ConfigIssue, OptionsOf, Params } from '@learnability/core';
import { DENSE_SCHEMA } from '@learnability/dense';
import { LOOPED_TRANSFORMER_SCHEMA } from '@learnability/looped-transformer';
import type { LoopedTransformerOptions } from '@learnability/looped-transformer';
import { getPreset, mergeConfig, resolve, validateConfig } from '@learnability/presets';
import { RCNN_SCHEMA } from '@learnability/rcnn';
import { readForm } from './form-schema.js';

type Json = Parameters<typeof mergeConfig>[0];

/** Where each parameter goes: the layer that reads the input, what would repeat with depth, the rest. */
export type ParamRole = 'input' | 'core' | 'output';

export interface TensorCount {
  name: string;
  /** One replica's shape. */
  shape: number[];
  size: number;
  role: ParamRole;
}

export interface ModelCount {
  /** Display name, e.g. `looped transformer, b = 8`. */
  label: string;
  /** The model's registry name (`dense`, `rcnn`, `looped-transformer`). */
  model: string;
  preset: string;
  /** Counted from the initialised parameters' shapes (one replica). */
  total: number;
  /** What the model declares (`model.paramCount`), shown beside the count as a check. */
  declared: number;
  byRole: Record<ParamRole, number>;
  tensors: TensorCount[];
}

/** The role of one parameter, by the naming of each package (dense `w{l}`, rcnn `embed*`/`conv*`/`read*`, transformer `h{l}.*`). */
export function paramRole(model: string, name: string, layers: number): ParamRole {
  if (model === 'dense') {
    const l = Number(name.slice(1));
    return l === 0 ? 'input' : l === layers - 1 ? 'output' : 'core';
  }
  if (model === 'rcnn') return name.startsWith('embed') ? 'input' : name.startsWith('conv') ? 'core' : 'output';
  if (model === 'looped-transformer')
    return /^h\d+\./.test(name) ? 'core' : name.startsWith('readIn') || name === 'pos' ? 'input' : 'output';
  return 'core';
}

/** Counts one replica's scalars from parameter shapes (leading axis: replicas). */
export function countParams(model: string, params: Params): TensorCount[] {
  const names = Object.keys(params);
  const denseLayers = names.filter((n) => /^w\d+$/.test(n)).length;
  return names.map((name) => {
    const shape = (params[name] as tf.Tensor).shape.slice(1);
    return { name, shape, size: shape.reduce((a, b) => a * b, 1), role: paramRole(model, name, denseLayers) };
  });
}

/**
 * Builds `preset` with `overrides` merged in (one replica, no stream learners), initialises it
 * once and counts its parameters. Throws ConfigError with the schema's paths on a bad value.
 */
export function countPreset(preset: string, overrides: Json, label: string): ModelCount {
  const raw = mergeConfig(
    mergeConfig(structuredClone(getPreset(preset).config) as Json, { run: { replicas: 1 }, learners: [] }),
    overrides,
  );
  const { model } = resolve(validateConfig(raw));
  if (!model) throw new Error(`preset "${preset}" has no model`);
  const params = model.init(replicaRngs(0, 1));
  try {
    const tensors = countParams(model.name, params);
    const byRole: Record<ParamRole, number> = { input: 0, core: 0, output: 0 };
    for (const t of tensors) byRole[t.role] += t.size;
    return {
      label,
      model: model.name,
      preset,
      total: tensors.reduce((s, t) => s + t.size, 0),
      declared: model.paramCount,
      byRole,
      tensors,
    };
  } finally {
    tf.dispose(Object.values(params));
  }
}

/** The reason for the ranges. */
const TAB = 'a tab builds and initialises every model once per value, in seconds';

/** The transformer presets the depth comparison builds at the form's D; their heads stay. */
const TRANSFORMER_PRESETS = ['standard-linear-regression-small', 'looped-linear-regression-small'] as const;

/** A preset's looped-transformer options as its rules read them: the preset's heads, the rest at their defaults. */
function presetTransformer(preset: string): LoopedTransformerOptions {
  const model = validateConfig(getPreset(preset).config).model;
  if (model?.name !== 'looped-transformer') throw new Error(`preset "${preset}": expected a looped-transformer model`);
  const heads = model.heads;
  if (typeof heads !== 'number') throw new Error(`preset "${preset}": model.heads: expected a number`);
  return { ...defaultsOf(LOOPED_TRANSFORMER_SCHEMA), heads };
}

/** The presets' transformers, validated once (on the first form read). */
let presetTransformers: LoopedTransformerOptions[] | undefined;

/** The presets' transformers at D = `embedSize`. */
const transformersAt = (embedSize: number) =>
  (presetTransformers ??= TRANSFORMER_PRESETS.map(presetTransformer)).map((m) => ({ ...m, embedSize }));

/** Each of the looped transformer's own rules (heads divide embedSize), on the form's D at the presets' heads. */
const TRANSFORMER_RULES = LOOPED_TRANSFORMER_SCHEMA.checks.map((check) => ({
  paths: ['embedSize'],
  test: (o: { embedSize: number }) => transformersAt(o.embedSize).every((m) => check.test(m)),
  message: (o: { embedSize: number }) => {
    const models = transformersAt(o.embedSize);
    return check.message(models.find((m) => !check.test(m)) ?? (models[0] as LoopedTransformerOptions));
  },
}));

/**
 * The explorer's form: the sizes and depths it compares and the widths it builds them at. A field
 * that is a model's option keeps that model's doc and words; ranges are what a tab counts in
 * seconds. The transformer's D is checked by the model's own rules at the presets' heads.
 */
export const PARAM_FORM_SCHEMA = defineSchema(
  {
    ns: {
      type: 'int[]',
      default: [4, 8, 12, 16, 24, 32],
      min: 2,
      max: 256,
      maxItems: 12,
      doc: 'sparse-parity input sizes n',
      unit: 'bits',
      why: `the sizes of docs/reproductions/rcnn.md; at most 12 sizes of up to 256 bits: ${TAB}`,
    },
    depths: {
      type: 'int[]',
      default: [1, 2, 4, 8, 16, 32],
      min: 1,
      max: 64,
      maxItems: 12,
      doc: 'MLP hidden layers, RCNN steps T, transformer layers / loops b',
      why: `powers of two; at most 12 depths up to 64: ${TAB}`,
    },
    depthN: {
      type: 'int',
      default: 16,
      min: 2,
      max: 256,
      doc: 'parity bits for the depth comparison',
      unit: 'bits',
      why: "rcnn-parity's n",
    },
    denseWidth: {
      type: 'int',
      default: 64,
      min: DENSE_SCHEMA.fields.widths.min,
      max: 4096,
      doc: 'hidden width of the deep MLP (every layer)',
      why: `up to 4,096: ${TAB}`,
    },
    channels: { ...RCNN_SCHEMA.fields.channels, max: 64, why: `rcnn-parity's C; up to 64: ${TAB}` },
    embedSize: {
      ...LOOPED_TRANSFORMER_SCHEMA.fields.embedSize,
      default: 32,
      max: 512,
      why: `the laptop-scale presets' D (looped-/standard-linear-regression-small); up to 512: ${TAB}`,
    },
  },
  TRANSFORMER_RULES,
);

/** What the worker counts: the form's values, sizes and depths sorted without repeats. */
export type ParamRequest = OptionsOf<typeof PARAM_FORM_SCHEMA.fields>;

/** The form's input texts, by field. */
export type ParamForm = Record<keyof ParamRequest, string>;

const sortedSet = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** The form read through its schema: every issue at once at its field, or the request. */
export function validateParamForm(form: ParamForm): { request: ParamRequest | null; issues: ConfigIssue[] } {
  const { values, issues } = readForm(PARAM_FORM_SCHEMA, form);
  return values
    ? { request: { ...values, ns: sortedSet(values.ns), depths: sortedSet(values.depths) }, issues }
    : { request: null, issues };
}

/** One row of a comparison: the x value and a count per model. */
export interface CountRow {
  x: number;
  counts: ModelCount[];
}

/**
 * Parameters vs input size n on sparse parity, as in docs/reproductions/rcnn.md: the width-1000
 * MLP of `sparse-parity` against the RCNN of `rcnn-parity` (C channels, T = n + 1).
 */
export function countsByInputSize(r: ParamRequest): CountRow[] {
  return r.ns.map((n) => ({
    x: n,
    counts: [
      countPreset('sparse-parity', { task: { n, k: Math.min(3, n) } }, 'dense MLP (width 1,000)'),
      countPreset(
        'rcnn-parity',
        { task: { n, k: Math.min(3, n) }, model: { channels: r.channels } },
        `RCNN (C = ${r.channels}, T = n + 1)`,
      ),
    ],
  }));
}

/**
 * Parameters vs depth d: an MLP with d hidden layers, the RCNN unrolled T = d steps (one shared
 * filter), a standard transformer of d layers and a looped one (1 block) run b = d loops — the
 * laptop-scale presets of docs/reproductions/looped-transformer.md at width D.
 */
export function countsByDepth(r: ParamRequest): CountRow[] {
  const task = { task: { n: r.depthN, k: Math.min(3, r.depthN) } };
  return r.depths.map((d) => ({
    x: d,
    counts: [
      countPreset(
        'sparse-parity',
        { ...task, model: { widths: new Array<number>(d).fill(r.denseWidth) } },
        `dense MLP (${d} × ${r.denseWidth})`,
      ),
      countPreset(
        'rcnn-parity',
        { ...task, model: { channels: r.channels, depth: d } },
        `RCNN (C = ${r.channels}, T = ${d})`,
      ),
      countPreset(
        'standard-linear-regression-small',
        { model: { embedSize: r.embedSize, layers: d } },
        `standard transformer (${d} layers, D = ${r.embedSize})`,
      ),
      countPreset(
        'looped-linear-regression-small',
        { model: { embedSize: r.embedSize, loops: d } },
        `looped transformer (1 block, b = ${d}, D = ${r.embedSize})`,
      ),
    ],
  }));
}

/** The paper's comparison (Yang et al. 2023, D = 256): the 12-layer baseline vs the one looped block. */
export function paperScaleCounts(): ModelCount[] {
  return [
    countPreset('standard-linear-regression', {}, 'standard transformer, 12 layers (paper)'),
    countPreset('looped-linear-regression', {}, 'looped transformer, 1 block, b = 20 (paper)'),
  ];
}

/** What the worker posts: each table as soon as it is counted. */
export type ParamProgress =
  | { table: 'n'; rows: CountRow[] }
  | { table: 'depth'; rows: CountRow[] }
  | { table: 'paper'; counts: ModelCount[] };
