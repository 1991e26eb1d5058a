/**
 * The parameter-count explorer's computation: dense MLP vs RCNN (Goel et al. 2022) vs looped and
 * standard transformers (Yang et al. 2023), each built from the project's own presets through the
 * config schema and counted from the shapes of the parameters `model.init` returns — never from
 * a formula typed in here. The comparisons are the ones docs/reproductions/rcnn.md and
 * looped-transformer.md report: parameters vs the input size n, vs depth (layers, unroll steps
 * T, loops b), and at paper scale.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, replicaRngs } from '@learnability/core';
import type { ConfigIssue, Params } from '@learnability/core';
import { getPreset, MODELS, mergeConfig, resolve, runChecks, validateConfig } from '@learnability/presets';

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

export interface ParamForm {
  /** Input sizes n of the sparse-parity comparison, e.g. "4,8,16,32". */
  ns: string;
  /** Depths for the depth comparison: MLP hidden layers, RCNN steps T, transformer layers / loops b. */
  depths: string;
  /** Input bits of the depth comparison's parity task. */
  depthN: string;
  /** Hidden width of the deep MLP. */
  denseWidth: string;
  /** RCNN channels C. */
  channels: string;
  /** Transformer width D (4 heads). */
  embedSize: string;
}

export const PARAM_FORM_DEFAULTS: ParamForm = {
  ns: '4,8,12,16,24,32',
  depths: '1,2,4,8,16,32',
  depthN: '16',
  denseWidth: '64',
  channels: '8',
  embedSize: '32',
};

export interface ParamRequest {
  ns: number[];
  depths: number[];
  depthN: number;
  denseWidth: number;
  channels: number;
  embedSize: number;
}

export const PARAM_LIMITS = {
  nMax: 256,
  depthMax: 64,
  maxPoints: 12,
  widthMax: 4096,
  channelsMax: 64,
  embedMax: 512,
  heads: 4,
} as const;

function intList(text: string, path: string, min: number, max: number, issues: ConfigIssue[]): number[] {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < min || Number(p) > max);
  if (parts.length === 0) issues.push({ path, message: 'give at least one value' });
  else if (bad !== undefined) issues.push({ path, message: `expected integers in [${min}, ${max}], but got "${bad}"` });
  else if (new Set(parts).size > PARAM_LIMITS.maxPoints)
    issues.push({ path, message: `at most ${PARAM_LIMITS.maxPoints} values` });
  else return [...new Set(parts.map(Number))].sort((a, b) => a - b);
  return [];
}

function int(text: string, path: string, min: number, max: number, issues: ConfigIssue[]): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max)
    issues.push({ path, message: `expected an integer in [${min}, ${max}], but got "${t}"` });
  return Number(t);
}

export function validateParamForm(form: ParamForm): { request: ParamRequest | null; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const L = PARAM_LIMITS;
  const request: ParamRequest = {
    ns: intList(form.ns, 'ns', 2, L.nMax, issues),
    depths: intList(form.depths, 'depths', 1, L.depthMax, issues),
    depthN: int(form.depthN, 'depthN', 2, L.nMax, issues),
    denseWidth: int(form.denseWidth, 'denseWidth', 1, L.widthMax, issues),
    channels: int(form.channels, 'channels', 1, L.channelsMax, issues),
    embedSize: int(form.embedSize, 'embedSize', L.heads, L.embedMax, issues),
  };
  // The looped transformer's own rule (heads divide embedSize), as validateConfig reports it, at this form's field.
  if (!issues.some((i) => i.path === 'embedSize')) {
    const found: ConfigIssue[] = [];
    runChecks(
      MODELS['looped-transformer']?.checks,
      { embedSize: request.embedSize, heads: L.heads },
      '',
      found,
      undefined,
    );
    issues.push(...found.map((i) => ({ path: 'embedSize', message: i.message })));
  }
  return issues.length ? { request: null, issues } : { request, issues };
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

/** A schema error from a preset override, as issues (the form's own checks catch the usual ones first). */
export function issuesOf(e: unknown): ConfigIssue[] {
  return e instanceof ConfigError ? e.issues : [{ path: '', message: e instanceof Error ? e.message : String(e) }];
}
