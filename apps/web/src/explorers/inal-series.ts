/**
 * The INAL explorer's computation: INAL(target, model) at each n with the package's series
 * (`measureInalSeries`, Abbe et al. 2022; docs/papers.md §3), and the log–log slope of INAL vs n fitted by
 * the package's `fitInalSlope`, the rule `learnability inal` uses. No DOM here; the worker and the tests call it.
 */
import { ConfigError, defineSchema } from '@learnability/core';
import type { ConfigIssue, Task } from '@learnability/core';
import {
  INAL_FIRST_LOOK_FIELDS,
  INAL_SERIES_SCHEMA,
  createBooleanTask,
  measureInalSeries as measureSeries,
  parseTargetSpec,
  reluParityAlignment,
} from '@learnability/inal';
import type { InalEstimator, InalSeriesPoint, InalSeriesStep } from '@learnability/inal';
import { runChecks, validateFields } from '@learnability/core';
import type { FieldValue } from '@learnability/core';
import { MODELS } from '@learnability/presets';
import { readForm } from './form-schema.js';

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

const { fields } = INAL_SERIES_SCHEMA;
const TAB = 'a browser tab answers in seconds to minutes';

/**
 * The form's measurement options: the package's fields with narrower limits, so that a tab
 * answers in seconds to minutes, and the CLI's quick-look defaults for samples and exact limit.
 */
export const INAL_FORM_SCHEMA = defineSchema({
  ns: { ...fields.ns, min: 2, max: 256, maxItems: 12, why: TAB },
  inits: { ...fields.inits, max: 64, why: `${fields.inits.why}; at most 64: ${TAB}` },
  samples: {
    ...INAL_FIRST_LOOK_FIELDS.samples,
    min: 64,
    max: 262_144,
    why: `${INAL_FIRST_LOOK_FIELDS.samples.why}; at most 262,144: ${TAB}`,
  },
  exactMaxBits: { ...INAL_FIRST_LOOK_FIELDS.exactMaxBits, max: 20 },
  seed: fields.seed,
  estimator: fields.estimator,
});

/** The form's text inputs of `INAL_FORM_SCHEMA`, by field. */
export type InalFormTexts = Record<keyof typeof INAL_FORM_SCHEMA.fields, string>;

/** The raw form: the target and each option as typed, the model's options already parsed per field. */
export interface InalForm extends InalFormTexts {
  target: string;
  model: string;
  modelOptions: Record<string, unknown>;
}

/** A series point (the chosen estimate; `resolved` points enter the slope fit) with what the table adds. */
export interface InalPoint extends InalSeriesPoint {
  /** The other estimator's value, for the table. */
  other: number;
  /** The exact E[c²] of one first-layer ReLU neuron (closed form) where it applies, else null. */
  closedForm: number | null;
  seconds: number;
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
  const read = readForm(INAL_FORM_SCHEMA, form);
  issues.push(...read.issues);
  const ns = [...new Set(read.valid.ns ?? [])].sort((a, b) => a - b);
  // Each n builds its task now, so a target that cannot exist at some n (parity:40 at n = 8) is caught
  // here, whatever the other fields hold; then the model on that task, as the CLI's `inal` checks
  // every n before measuring the first (an RCNN grid narrower than some n).
  const modelValid = entry !== undefined && !issues.some((i) => i.path.startsWith('model'));
  const words = (e: unknown) => (e instanceof ConfigError ? e.issues.map((i) => i.message).join('; ') : String(e));
  if (!issues.some((i) => i.path === 'target' || i.path === 'ns')) {
    for (const n of ns) {
      let task: Task;
      try {
        task = createBooleanTask({ target: form.target, n, seed: read.valid.seed ?? 0 });
      } catch (e) {
        issues.push({ path: 'target', message: `at n = ${n}: ${words(e)}` });
        break;
      }
      if (!modelValid) continue;
      const onTask: ConfigIssue[] = [];
      runChecks(entry.taskChecks, options, 'model', onTask, task);
      try {
        if (onTask.length === 0) entry.create(options, { task, replicas: 1 });
      } catch (e) {
        onTask.push({ path: 'model', message: e instanceof Error ? e.message : String(e) });
      }
      if (onTask.length > 0) {
        issues.push(...onTask.map((i) => ({ ...i, message: `at n = ${n}: ${i.message}` })));
        break;
      }
    }
  }
  if (issues.length > 0 || read.values === null) return { request: null, issues };
  return { request: { ...read.values, target: form.target.trim(), model: { name, options }, ns }, issues };
}

/**
 * The closed form `reluParityAlignment` where it is the measured quantity: a one-hidden-layer
 * ReLU dense net with Gaussian weights (its hidden neurons are i.i.d. ReLU(w·x + b), w ~ N(0, I/n)
 * in either parameterisation; `torch-linear`'s uniform weights are another distribution) against
 * `parity:<k>` with an integer k.
 */
export function closedFormInal(request: InalRequest, n: number): number | null {
  const o = request.model.options;
  const k = /^parity:(\d+)$/.exec(request.target)?.[1];
  if (
    request.model.name !== 'dense' ||
    k === undefined ||
    o.activation !== 'relu' ||
    o.init !== 'gaussian' ||
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
