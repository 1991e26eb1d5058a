/**
 * The INAL explorer's computation: INAL(target, model) at each n with the package's series
 * (`measureInalSeries`, Abbe et al. 2022; PAPERS.md §3), and the log–log slope of INAL vs n fitted by
 * the package's `fitInalSlope`, the rule `learnability inal` uses. No DOM here; the worker and the tests call it.
 */
import { ConfigError } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import {
  createBooleanTask,
  measureInalSeries as measureSeries,
  parseTargetSpec,
  reluParityAlignment,
} from '@learnability/inal';
import type { InalEstimator, InalSeriesPoint, InalSeriesStep } from '@learnability/inal';
import { MODELS, runChecks, validateFields } from '@learnability/presets';
import type { FieldValue } from '@learnability/presets';

export type { InalEstimator };

/** Models that take vector inputs and expose `applyLayers`, so each neuron has a correlation. */
export const INAL_MODELS = ['dense', 'rcnn'] as const;
export type InalModelName = (typeof INAL_MODELS)[number];

export interface InalRequest {
  /** Target spec of @learnability/inal (`parity:1`, `majority`, `staircase:4`, …). */
  target: string;
  model: { name: InalModelName; options: Record<string, FieldValue> };
  /** Input sizes, ascending. */
  ns: number[];
  /** Initialisations R (the model's replicas). */
  inits: number;
  /** Inputs per initialisation when sampled. */
  samples: number;
  /** Largest n whose 2^n inputs are enumerated exactly. */
  exactMaxBits: number;
  seed: number;
  estimator: InalEstimator;
}

/** Limits of the form: what a browser tab measures in seconds to minutes. */
export const INAL_LIMITS = {
  nMin: 2,
  nMax: 256,
  maxPoints: 12,
  initsMin: 2,
  initsMax: 64,
  samplesMin: 64,
  samplesMax: 262_144,
  exactMaxBitsMax: 20,
} as const;

/** Defaults: the CLI's (`learnability inal`), with a narrower dense net so a tab answers in seconds. */
export const INAL_FORM_DEFAULTS = {
  target: 'parity:1',
  model: 'dense',
  ns: '8,16,32',
  inits: '16',
  samples: '16384',
  exactMaxBits: '14',
  seed: '0',
  estimator: 'pooled',
} as const;

/** The raw form: strings as typed, the model's options already parsed per field. */
export interface InalForm {
  target: string;
  model: string;
  modelOptions: Record<string, unknown>;
  ns: string;
  inits: string;
  samples: string;
  exactMaxBits: string;
  seed: string;
  estimator: string;
}

/** A series point (the chosen estimate; `resolved` points enter the slope fit) with what the table adds. */
export interface InalPoint extends InalSeriesPoint {
  /** The other estimator's value, for the table. */
  other: number;
  /** The exact E[c²] of one first-layer ReLU neuron (closed form) where it applies, else null. */
  closedForm: number | null;
  seconds: number;
}

function parseInt10(text: string, path: string, min: number, max: number, issues: ConfigIssue[]): number {
  const t = text.trim();
  const v = /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isInteger(v) || v < min || v > max)
    issues.push({ path, message: `expected an integer in [${min}, ${max}], but got "${t}"` });
  return v;
}

/** Parses "8,16,32" (or "8 16 32") into distinct ascending n; every problem is an issue at `ns`. */
export function parseNs(text: string, issues: ConfigIssue[]): number[] {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const { nMin, nMax, maxPoints } = INAL_LIMITS;
  if (parts.length === 0) {
    issues.push({ path: 'ns', message: 'give at least one n, e.g. 8,16,32' });
    return [];
  }
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < nMin || Number(p) > nMax);
  if (bad !== undefined) {
    issues.push({ path: 'ns', message: `n must be integers in [${nMin}, ${nMax}], but got "${bad}"` });
    return [];
  }
  const ns = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  if (ns.length > maxPoints)
    issues.push({ path: 'ns', message: `at most ${maxPoints} values of n, but got ${ns.length}` });
  return ns;
}

/** Validates the form; every problem at once, keyed by field path (`model.<option>` for model options). */
export function validateInalForm(form: InalForm): { request: InalRequest | null; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  try {
    parseTargetSpec(form.target);
  } catch (e) {
    if (e instanceof ConfigError) issues.push(...e.issues);
    else throw e;
  }
  const name = form.model as InalModelName;
  const entry = INAL_MODELS.includes(name) ? MODELS[name] : undefined;
  if (!entry)
    issues.push({ path: 'model', message: `expected one of ${INAL_MODELS.join(', ')}, but got "${form.model}"` });
  const options = entry ? validateFields(form.modelOptions, entry.fields, 'model', issues) : {};
  if (entry) runChecks(entry.checks, options, 'model', issues, undefined);
  const ns = parseNs(form.ns, issues);
  const L = INAL_LIMITS;
  const inits = parseInt10(form.inits, 'inits', L.initsMin, L.initsMax, issues);
  const samples = parseInt10(form.samples, 'samples', L.samplesMin, L.samplesMax, issues);
  const exactMaxBits = parseInt10(form.exactMaxBits, 'exactMaxBits', 0, L.exactMaxBitsMax, issues);
  const seed = parseInt10(form.seed, 'seed', 0, 2 ** 31 - 1, issues);
  if (form.estimator !== 'pooled' && form.estimator !== 'max')
    issues.push({ path: 'estimator', message: `expected pooled or max, but got "${form.estimator}"` });
  // Each n builds its task now, so a target that cannot exist at some n (parity:40 at n = 8) is caught here.
  if (!issues.some((i) => i.path === 'target' || i.path === 'ns')) {
    for (const n of ns) {
      try {
        createBooleanTask({ target: form.target, n, seed: Number.isInteger(seed) ? seed : 0 });
      } catch (e) {
        issues.push({
          path: 'target',
          message: `at n = ${n}: ${e instanceof ConfigError ? e.issues.map((i) => i.message).join('; ') : String(e)}`,
        });
        break;
      }
    }
  }
  if (issues.length > 0) return { request: null, issues };
  return {
    request: {
      target: form.target.trim(),
      model: { name, options },
      ns,
      inits,
      samples,
      exactMaxBits,
      seed,
      estimator: form.estimator as InalEstimator,
    },
    issues,
  };
}

/**
 * The closed form `reluParityAlignment` where it is the measured quantity: a one-hidden-layer
 * ReLU dense net (its hidden neurons are i.i.d. ReLU(w·x + b), w ~ N(0, I/n) in either
 * parameterisation) against `parity:<k>` with an integer k.
 */
export function closedFormInal(request: InalRequest, n: number): number | null {
  const o = request.model.options;
  const k = /^parity:(\d+)$/.exec(request.target)?.[1];
  if (
    request.model.name !== 'dense' ||
    k === undefined ||
    o.activation !== 'relu' ||
    !Array.isArray(o.widths) ||
    o.widths.length !== 1 ||
    Number(k) > n
  )
    return null;
  const biasVariance = o.bias === 'unit' ? 1 : o.bias === 'fan-in' ? 1 / n : 0;
  return reluParityAlignment(n, Number(k), biasVariance);
}

function toPoint({ point, measurement: r, seconds }: InalSeriesStep, request: InalRequest): InalPoint {
  return {
    ...point,
    other: request.estimator === 'max' ? r.pooled.inal : r.inal,
    closedForm: closedFormInal(request, r.n),
    seconds,
  };
}

/**
 * Measures INAL at every n in order, calling `onPoint` after each (the estimator frees its
 * tensors); an aborted `signal` stops before the next n.
 */
export async function measureInalSeries(
  request: InalRequest,
  onPoint?: (p: InalPoint) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<InalPoint[]> {
  const entry = MODELS[request.model.name];
  if (!entry) throw new Error(`inal: unknown model "${request.model.name}"`);
  const points: InalPoint[] = [];
  const { target, ns, inits, samples, exactMaxBits, seed, estimator } = request;
  await measureSeries(
    { target, ns, inits, samples, exactMaxBits, seed, estimator },
    // The model of the request for the task at n, with R = inits initialisations.
    (task, replicas) => entry.create(request.model.options, { task, replicas }),
    async (step) => {
      const p = toPoint(step, request);
      points.push(p);
      await onPoint?.(p);
    },
    signal,
  );
  return points;
}
