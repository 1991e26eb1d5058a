import { BACKEND_REQUESTS, memoryLimits, setupBackend } from '@learnability/backends';
import { KERNELS, checkMemory } from '@learnability/presets';
import { INAL_FIRST_LOOK_FIELDS, INAL_SERIES_SCHEMA, createBooleanTask, parseTargetSpec } from '@learnability/inal';
import { UsageError } from '../cli-error.js';
import { checkFits } from './check-fits.js';
import { inalSlope, measureInal, samplesUnread } from '../inal/measure.js';
import type { Estimator, InalPoint } from '../inal/measure.js';
import { estimateInalMemory } from '../inal/inal-memory.js';
import { buildModel, modelChoice } from '../inal/model-config.js';
import type { Io } from '../io.js';
import { fmt, fmtSig, formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';

const { fields } = INAL_SERIES_SCHEMA;

/**
 * The command's flags: the target and model as text, the measurement's options as the package's
 * fields (`INAL_SERIES_SCHEMA`), samples and the exact limit at a first look's (`INAL_FIRST_LOOK_FIELDS`).
 */
export const INAL_FLAGS = {
  target: { type: 'string', default: '', arg: 'spec', doc: 'the target (required; specs above), e.g. parity:2' },
  model: {
    type: 'string',
    default: 'dense',
    arg: 'm',
    doc: 'a model (dense), a preset whose model to use, or a .json file',
    nonEmpty: true,
  },
  set: {
    type: 'strings',
    default: [],
    arg: 'key=value',
    doc: 'override a model option, repeatable (e.g. --set bias=fan-in --set widths=[256])',
  },
  n: fields.ns,
  inits: fields.inits,
  samples: { ...INAL_FIRST_LOOK_FIELDS.samples, min: 16 },
  'exact-max-bits': { ...INAL_FIRST_LOOK_FIELDS.exactMaxBits, max: 24 },
  estimator: fields.estimator,
  seed: fields.seed,
  backend: { type: 'enum', values: BACKEND_REQUESTS, default: 'auto', doc: 'backend of the measurement' },
  'dry-run': {
    type: 'bool',
    default: false,
    doc: 'check the flags, the target at each n and the model against it; measure nothing',
  },
} as const satisfies FlagSpecs;

const JSON_FLAG = {
  json: {
    type: 'bool',
    default: false,
    doc: 'print {target, model, points: [{n, inal, ciLow, ciHigh, stderr, …}], slope, fit}',
  },
} as const;

export const INAL_HELP = `learnability inal --target <spec> [options]

Initial alignment (Abbe, Cornacchia, Hązła, Marquis 2022): INAL(f, NN) = max over neurons v of
E_θ⁰[⟨f, NN_v⟩²] at initialisation, for each n, and the log–log slope of INAL vs n. Inputs are
enumerated exactly up to --exact-max-bits, sampled (bias-corrected) above. The table shows both
estimators.

Target specs: parity:<k> | majority[:<k>] | staircase:<k> | junta:<k> | and:<k> | or:<k> |
threshold:<k>:<t> | random:<k> | expr:<js over x, n> | table:<0/1 bits>; <k> is an integer, n, n/2,
n-1, sqrt(n), log2(n) or [i,j,…] (e.g. parity:2, parity:n/2).

${flagHelp({ ...INAL_FLAGS, ...JSON_FLAG })}

The slope is the weighted least-squares fit of log INAL on log n over the resolved points (the
layer-average interval excludes 0; a point with no spread over its inits has no sd and is left
out): each point weighs 1/sd(log INAL)², sd(log INAL) ≈ stderr/INAL,
so a barely resolved point counts far less than an exact one. Its 95% interval comes from those
sds, widened by √(χ²/(m−2)) when the points scatter more than the sds imply (the PDG's scale
factor), ± 1.96 of that error.`;

const interval = (low: number, high: number) => `[${fmtSig(low)}, ${fmtSig(high)}]`;

function row(p: InalPoint, estimator: Estimator): (string | number)[] {
  const layerMax = p.layers.map((l) => fmtSig(l.max)).join(' / ');
  const other = estimator === 'max' ? `${fmtSig(p.pooled.inal)} (L${p.pooled.layer})` : fmtSig(p.max.inal);
  return [
    p.n,
    p.method,
    p.inputs,
    p.resolved ? fmtSig(p.inal) : `${fmtSig(p.inal)}*`,
    interval(p.ciLow, p.ciHigh),
    `L${p.argmax.layer}:${p.argmax.neuron}`,
    layerMax,
    other,
    `${fmt(p.seconds, 1)} s`,
  ];
}

export async function inalCommand(argv: string[], io: Io): Promise<number> {
  const { values, help, json } = parseSchemaFlags('inal', argv, INAL_FLAGS, (v, given) =>
    samplesUnread(given, v.n, v['exact-max-bits'], `--exact-max-bits ${v['exact-max-bits']}`),
  );
  if (help) return (io.out(INAL_HELP), 0);
  if (values.target === '')
    throw new UsageError(
      'inal: missing --target; e.g. learnability inal --target parity:2 (see learnability inal --help)',
    );
  const { target, estimator } = values;
  parseTargetSpec(target);
  const options = {
    ns: values.n,
    inits: values.inits,
    samples: values.samples,
    exactMaxBits: values['exact-max-bits'],
    seed: values.seed,
    estimator,
  };
  const model = modelChoice(values.model, values.set);
  const log = (line: string) => (json ? io.err(line) : io.out(line));
  // What the measurement builds first at each n, the target's task and then the model on it, at
  // every n before any is measured: a bad last n would otherwise come after the first's work.
  const models = options.ns.map((n) =>
    buildModel(model, createBooleanTask({ target, n, seed: options.seed }), options.inits),
  );
  // The model grows with n: the largest n's must fit (a dry run asks the GPU adapter too).
  const largest = models.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
  const estimate = estimateInalMemory(largest, options.inits);
  await checkFits(estimate, values.backend, values['dry-run']);
  if (values['dry-run']) {
    log(
      `dry run: INAL of ${target} on ${model.name} ${JSON.stringify(model.options)} at n = ${options.ns.join(', ')}, ${options.inits} inits; nothing measured`,
    );
    if (json)
      io.out(JSON.stringify({ dryRun: true, target, model: { name: model.name, ...model.options }, ...options }));
    return 0;
  }
  const backend = await setupBackend(values.backend, { kernels: KERNELS });
  // Checked again on the backend set up, as run does: above, webgpu (and auto choosing it) was
  // checked by a dry run alone.
  checkMemory(estimate, await memoryLimits(backend));
  log(
    `INAL of ${target} on ${model.name} ${JSON.stringify(model.options)}: ${options.inits} inits, backend ${backend.name}, estimator ${estimator}`,
  );
  const points = await measureInal(target, model, options, (p) =>
    io.status(`n = ${p.n}: ${fmtSig(p.inal)} (${fmt(p.seconds, 1)} s)`),
  );
  const fit = inalSlope(points);
  if (json) {
    io.out(
      JSON.stringify({
        target,
        model: { name: model.name, ...model.options },
        estimator,
        inits: options.inits,
        backend: backend.name,
        points,
        slope: fit?.slope ?? null,
        fit,
      }),
    );
    return 0;
  }
  const header = [
    'n',
    'method',
    'inputs',
    `INAL (${estimator})`,
    // The max's interval is its own neuron's, the neuron chosen for being highest: it sits too
    // high and does not cover INAL 95% of the time.
    estimator === 'max' ? "95% CI (that neuron's, after selection)" : '95% CI',
    'argmax neuron',
    'layer maxima',
    estimator === 'max' ? 'pooled' : 'max',
    'time',
  ];
  io.out(
    formatTable(
      header,
      points.map((p) => row(p, estimator)),
    ),
  );
  if (points.some((p) => !p.resolved))
    io.out('* no alignment detected (the layer-average interval reaches 0, or below float32 rounding)');
  if (fit === null) io.out('slope: fewer than two resolved points with spread over their inits');
  else {
    const weights = fit.ns.map((n, i) => `${n}: ${fmt(fit.weights[i] as number, 2)}`).join(', ');
    io.out(
      `log–log slope of INAL vs n: ${fmt(fit.slope, 2)}, 95% interval [${fmt(fit.slopeLow, 2)}, ${fmt(fit.slopeHigh, 2)}] (weighted by 1/sd(log INAL)² over the resolved n; weights ${weights})`,
    );
  }
  return 0;
}
