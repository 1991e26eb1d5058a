import { join } from 'node:path';
import { setupBackend } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import { createTarget, degreeProfile, parseTargetSpec, reluParityAlignment } from '@learnability/inal';
import { intFlag, intListFlag, listFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import { measureInal } from '../inal/measure.js';
import { modelChoice } from '../inal/model-config.js';
import type { Io } from '../io.js';
import { fmt } from '../render/table.js';
import type { NamedExperiment } from './index.js';
import { OUTPUT_FLAGS, OUTPUT_HELP, figuresDir, writeOutputs } from './outputs.js';
import { accuracyVsInalSpec, inalVsNSpec } from './inal-learnability/figures.js';
import { resultsTable, slopeTable } from './inal-learnability/report.js';
import type { ExperimentRow } from './inal-learnability/report.js';
import { DEFAULT_SCALE, LEARNED, MODEL, TRAINER_IDS } from './inal-learnability/settings.js';
import type { TrainerId } from './inal-learnability/settings.js';
import { trainOnce } from './inal-learnability/train.js';

const NAME = 'inal-learnability';
const s = DEFAULT_SCALE;

const HELP = `learnability run ${NAME} [options]

Abbe, Cornacchia, Hązła, Marquis 2022 (PAPERS.md §3): for each target and n, measures INAL of a
ReLU MLP (width ${MODEL.widths[0]}, N(0, 1/fan-in) weights and biases) and trains that MLP with
full-batch noisy GD and with online SGD; writes INAL vs n (log–log), final accuracy vs INAL, and
markdown tables. Targets with INAL ≥ n^−c should be learned, those with negligible INAL not.

  --targets a,b,…    target specs (default ${s.targets.join(',')})
  --n a,b,…          input sizes (default ${s.ns.join(',')})
  --trainers a,b     noisy-gd, sgd (default both)
  --inits R          INAL initialisations (default ${s.inits})
  --samples N        INAL inputs per init when sampled (default ${s.samples}; exact up to n = ${s.exactMaxBits})
  --noisy-steps N    noisy GD steps, full batch of ${s.trainSet} examples (default ${s.noisySteps})
  --sgd-steps N      SGD steps, batch 32, fresh samples (default ${s.sgdSteps})
  --replicas R       training seeds per run (default ${s.replicas})
  --seed s           seed of targets, inits and data (default 0)
  --backend b        cpu | wasm | webgpu (default wasm)
  --threads N        wasm threads (default: all cores)
  --out dir          results JSON, tables and figures (default runs/${NAME})
${OUTPUT_HELP}
  --table file       markdown tables (default <out>/${NAME}-table.md, or
                     docs/reproductions/${NAME}-table.md with --docs)
  --json             print the results object on stdout`;

async function run(argv: string[], io: Io): Promise<number> {
  const command = `run ${NAME}`;
  const { values } = parseFlags(command, argv, {
    targets: { type: 'string' },
    n: { type: 'string' },
    trainers: { type: 'string' },
    inits: { type: 'string' },
    samples: { type: 'string' },
    'noisy-steps': { type: 'string' },
    'sgd-steps': { type: 'string' },
    replicas: { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    out: { type: 'string', default: `runs/${NAME}` },
    ...OUTPUT_FLAGS,
    table: { type: 'string' },
  });
  if (values.help) return (io.out(HELP), 0);
  const trainers = (listFlag(values.trainers) ?? [...s.trainers]) as TrainerId[];
  const badTrainer = trainers.find((t) => !TRAINER_IDS.includes(t));
  if (badTrainer)
    throw new UsageError(`${command}: unknown trainer "${badTrainer}"; trainers: ${TRAINER_IDS.join(', ')}`);
  const scale = {
    ...s,
    targets: listFlag(values.targets) ?? s.targets,
    ns: intListFlag(command, 'n', values.n) ?? s.ns,
    trainers,
    inits: intFlag(command, 'inits', values.inits, 2) ?? s.inits,
    samples: intFlag(command, 'samples', values.samples, 16) ?? s.samples,
    noisySteps: intFlag(command, 'noisy-steps', values['noisy-steps'], 0) ?? s.noisySteps,
    sgdSteps: intFlag(command, 'sgd-steps', values['sgd-steps'], 0) ?? s.sgdSteps,
    replicas: intFlag(command, 'replicas', values.replicas) ?? s.replicas,
  };
  for (const t of scale.targets) parseTargetSpec(t);
  const seed = intFlag(command, 'seed', values.seed, 0) ?? 0;
  const log = (line: string) => (values.json ? io.err(line) : io.out(line));
  const threads = intFlag(command, 'threads', values.threads);
  const backend = await setupBackend(values.backend as 'wasm', {
    kernels: KERNELS,
    ...(values.backend === 'wasm' && threads !== undefined ? { threads } : {}),
  });
  const model = modelChoice(MODEL.name, [
    `widths=${JSON.stringify(MODEL.widths)}`,
    `activation=${MODEL.activation}`,
    `bias=${MODEL.bias}`,
  ]);
  const started = performance.now();
  const rows: ExperimentRow[] = [];
  for (const target of scale.targets) {
    for (const n of scale.ns) {
      io.status(`${target} n=${n}: INAL…`);
      const [inal] = await measureInal(target, model, {
        ns: [n],
        inits: scale.inits,
        samples: scale.samples,
        exactMaxBits: scale.exactMaxBits,
        seed,
        estimator: 'pooled',
      });
      if (!inal) throw new Error('measureInal returned no point');
      const boolean = createTarget(target, { n, seed });
      const parsed = parseTargetSpec(target);
      const k = boolean.relevant?.length ?? 0;
      const row: ExperimentRow = {
        target,
        n,
        lowDegreeWeight: degreeProfile(boolean).weights.slice(0, 4),
        inal,
        closedForm: parsed.family === 'parity' ? reluParityAlignment(n, k, 1 / n) : null,
        runs: [],
      };
      for (const trainer of scale.trainers) {
        io.status(`${target} n=${n}: ${trainer}…`);
        row.runs.push(await trainOnce(target, n, trainer, scale, seed, backend.name));
      }
      rows.push(row);
      const accs = row.runs
        .map(
          (r) =>
            `${r.trainer} ${fmt(r.meanAccuracy, 3)}${r.learnedAtStep !== null ? ` @${r.learnedAtStep}` : ''} (${fmt(r.wallSeconds, 1)} s)`,
        )
        .join('  ');
      log(
        `${target.padEnd(12)} n=${String(n).padEnd(3)} INAL ${inal.resolved ? fmt(inal.inal) : `≤ ${fmt(inal.ciHigh)}`}  ${accs}`,
      );
    }
  }
  io.status('');
  const wallSeconds = (performance.now() - started) / 1000;
  const figuresAt = figuresDir(values, values.out);
  const table =
    values.table ?? (values.docs ? `docs/reproductions/${NAME}-table.md` : join(values.out, `${NAME}-table.md`));
  const tables = `<!-- written by: learnability run ${NAME} ${argv.join(' ')} (${backend.name}, ${fmt(wallSeconds / 60, 1)} min) -->\n\n### INAL and final test accuracy\n\nLearned = test accuracy ≥ ${LEARNED}; accuracy is the mean of ${scale.replicas} replicas.\n\n${resultsTable(rows)}\n\n### Log–log slope of INAL vs n\n\n${slopeTable(rows)}\n`;
  const { figures, results: result } = await writeOutputs({
    figuresAt,
    figures: [
      ['inal-vs-n', inalVsNSpec(rows)],
      ['inal-accuracy', accuracyVsInalSpec(rows)],
    ],
    results: (figures) => ({
      experiment: NAME,
      backend: backend.name,
      seed,
      scale,
      model: MODEL,
      wallSeconds,
      rows,
      figures,
    }),
    resultsPath: join(values.out, `${NAME}.json`),
    indent: 1,
    tables: { path: table, text: tables },
  });
  log(`\n${tables}`);
  log(
    `${rows.length} (target, n) pairs in ${fmt(wallSeconds / 60, 1)} min on ${backend.name} (shared machine: timings are noisy); figures: ${figures.join(', ')}; table: ${table}`,
  );
  if (values.json) io.out(JSON.stringify(result));
  return 0;
}

export const inalLearnability: NamedExperiment = {
  name: NAME,
  summary: 'INAL vs n for Boolean targets, and whether noisy GD / SGD learn them (Abbe et al. 2022)',
  help: HELP,
  run,
};
