import { setupBackend } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import { parseTargetSpec } from '@learnability/inal';
import { intFlag, intListFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import { inalSlope, measureInal } from '../inal/measure.js';
import type { Estimator, InalPoint } from '../inal/measure.js';
import { modelChoice } from '../inal/model-config.js';
import type { Io } from '../io.js';
import { fmt, formatTable } from '../render/table.js';

export const INAL_HELP = `learnability inal --target <spec> [options]

Initial alignment (Abbe, Cornacchia, Hązła, Marquis 2022): INAL(f, NN) = max over neurons v of
E_θ⁰[⟨f, NN_v⟩²] at initialisation, for each n, and the log–log slope of INAL vs n. Inputs are
enumerated exactly up to --exact-max-bits, sampled (bias-corrected) above.

  --target spec        parity:<k> | majority[:<k>] | staircase:<k> | junta:<k> | and:<k> | or:<k> |
                       threshold:<k>:<t> | random:<k> | expr:<js over x, n> | table:<0/1 bits>;
                       <k> is an integer, n, n/2, n-1, sqrt(n), log2(n) or [i,j,…] (e.g. parity:2, parity:n/2)
  --model m            a model (dense), a preset whose model to use, or a .json file (default dense)
  --set key=value      override a model option, repeatable (e.g. --set bias=fan-in --set widths=[256])
  --n a,b,…            input sizes (default 8,16,32)
  --inits R            initialisations, run as one batched program (default 16)
  --samples N          inputs per initialisation when sampled (default 16384)
  --exact-max-bits B   enumerate all 2^n inputs when n ≤ B (default 14)
  --estimator e        pooled: max over layers of the neuron-and-init average, which is INAL when a
                       layer's neurons are exchangeable at init (i.i.d. layers, as in dense) | max: max
                       over neurons of the init average, the definition read literally, biased up by
                       the max over noisy averages (default pooled; the table shows both)
  --seed s             initialisation and input seed (default 0)
  --backend b          auto | cpu | wasm | webgpu (default auto)
  --json               print {target, model, points: [{n, inal, ciLow, ciHigh, stderr, …}], slope, fit}
The slope is the weighted least-squares fit of log INAL on log n over the resolved points (the
layer-average interval excludes 0): each point weighs 1/sd(log INAL)², sd(log INAL) ≈ stderr/INAL,
so a barely resolved point counts far less than an exact one. Its 95% interval comes from those
sds, widened by √(χ²/(m−2)) (Student t) when the points scatter more than the sds imply.`;

const ESTIMATORS: readonly Estimator[] = ['max', 'pooled'];

const interval = (low: number, high: number) => `[${fmt(low)}, ${fmt(high)}]`;

function row(p: InalPoint, estimator: Estimator): (string | number)[] {
  const layerMax = p.layers.map((l) => fmt(l.max)).join(' / ');
  const other = estimator === 'max' ? `${fmt(p.pooled.inal)} (L${p.pooled.layer})` : fmt(p.max.inal);
  return [
    p.n,
    p.method,
    p.inputs,
    p.resolved ? fmt(p.inal) : `${fmt(p.inal)}*`,
    interval(p.ciLow, p.ciHigh),
    `L${p.argmax.layer}:${p.argmax.neuron}`,
    layerMax,
    other,
    `${fmt(p.seconds, 1)} s`,
  ];
}

export async function inalCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('inal', argv, {
    target: { type: 'string' },
    model: { type: 'string', default: 'dense' },
    set: { type: 'string', multiple: true, default: [] },
    n: { type: 'string', default: '8,16,32' },
    inits: { type: 'string' },
    samples: { type: 'string' },
    'exact-max-bits': { type: 'string' },
    estimator: { type: 'string', default: 'pooled' },
    seed: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
  });
  if (values.help) return (io.out(INAL_HELP), 0);
  if (values.target === undefined)
    throw new UsageError(
      'inal: missing --target; e.g. learnability inal --target parity:2 (see learnability inal --help)',
    );
  const target = values.target;
  parseTargetSpec(target);
  const ns = intListFlag('inal', 'n', values.n) ?? [];
  const estimator = values.estimator as Estimator;
  if (!ESTIMATORS.includes(estimator))
    throw new UsageError(`inal: --estimator must be one of ${ESTIMATORS.join(', ')}, but got "${values.estimator}"`);
  const options = {
    ns,
    inits: intFlag('inal', 'inits', values.inits, 2) ?? 16,
    samples: intFlag('inal', 'samples', values.samples, 16) ?? 16_384,
    exactMaxBits: intFlag('inal', 'exact-max-bits', values['exact-max-bits'], 0) ?? 14,
    seed: intFlag('inal', 'seed', values.seed, 0) ?? 0,
    estimator,
  };
  if (options.exactMaxBits > 24)
    throw new UsageError(`inal: --exact-max-bits must be ≤ 24, but got ${options.exactMaxBits}`);
  const model = modelChoice(values.model, values.set);
  const backend = await setupBackend(values.backend as 'auto', { kernels: KERNELS });
  const log = (line: string) => (values.json ? io.err(line) : io.out(line));
  log(
    `INAL of ${target} on ${model.name} ${JSON.stringify(model.options)}: ${options.inits} inits, backend ${backend.name}, estimator ${estimator}`,
  );
  const points = await measureInal(target, model, options, (p) =>
    io.status(`n = ${p.n}: ${fmt(p.inal)} (${fmt(p.seconds, 1)} s)`),
  );
  const fit = inalSlope(points);
  if (values.json) {
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
    '95% CI',
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
  if (fit === null) io.out('slope: fewer than two resolved points');
  else {
    const weights = fit.ns.map((n, i) => `${n}: ${fmt(fit.weights[i] as number, 2)}`).join(', ');
    io.out(
      `log–log slope of INAL vs n: ${fmt(fit.slope, 2)}, 95% interval [${fmt(fit.slopeLow, 2)}, ${fmt(fit.slopeHigh, 2)}] (weighted by 1/sd(log INAL)² over the resolved n; weights ${weights})`,
    );
  }
  return 0;
}
