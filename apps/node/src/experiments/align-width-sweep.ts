import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { alignmentScores } from '@learnability/align';
import { setupBackend } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import { intFlag, intListFlag, listFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { fmt } from '../render/table.js';
import { readJsonFile } from '../read-record.js';
import type { NamedExperiment } from './index.js';
import { OUTPUT_FLAGS, OUTPUT_HELP, figuresDir, writeOutputs } from './outputs.js';
import { alignmentSpec, performanceSpec } from './align-width-sweep/figures.js';
import { markdownTable, speedTable } from './align-width-sweep/report.js';
import type { SweepRow } from './align-width-sweep/report.js';
import { DEFAULT_RULES, DEFAULT_SCALE, RULES, settings } from './align-width-sweep/settings.js';
import type { RuleId, SettingId } from './align-width-sweep/settings.js';
import { trainRun } from './align-width-sweep/train.js';
import type { TrainedRun } from './align-width-sweep/train.js';

const NAME = 'align-width-sweep';
const s = DEFAULT_SCALE;

const HELP = `learnability run ${NAME} [options]

Boopathy & Fiete 2022 (PAPERS.md §4): trains ${DEFAULT_RULES.join(', ')} at several widths on
MNIST (presets align-mnist), on MNIST with a small training set, and on the recurrent add task
(align-add), every rule from the same θ₀ and data; writes test accuracy / MSE vs width, the
alignment cos(ΔWᵀΔW) with backprop vs width, and markdown tables.

  --widths a,b,…       MNIST widths (default ${s.mnistWidths.join(',')}; two hidden layers of this width)
  --small-widths a,b,… small-data MNIST widths (default ${s.smallWidths.join(',')})
  --add-widths a,b,…   RNN widths on the add task (default ${s.addWidths.join(',')})
  --mnist-steps N      SGD steps per MNIST run (default ${s.mnistSteps}, batch 64; small data: batch 50)
  --add-steps N        SGD steps per add run (default ${s.addSteps}, batch 50 of 300 sequences)
  --small-data N       training digits of the small-data run (default ${s.smallData})
  --settings a,b       any of mnist, mnist-small, add (default all)
  --rules a,b          any of ${Object.keys(RULES).join(', ')} (default ${DEFAULT_RULES.join(',')}; backprop is always run)
  --backend b          cpu | wasm | webgpu (default wasm)
  --threads N          wasm threads
  --seed s             seed of θ₀ and the data (default 0)
  --out dir            markdown tables, figures and the results JSON (default runs/${NAME})
${OUTPUT_HELP}
  --from results.json  skip training: redraw the figures and tables of an earlier sweep
  --json               print the results object on stdout`;

/** Mean and per-matrix alignment of `run` with `reference` (same θ₀). */
async function alignment(
  reference: TrainedRun,
  run: TrainedRun,
): Promise<{ mean: number; byLayer: Record<string, number> } | null> {
  if (!reference.initial || !reference.final || !run.final) return null;
  const scores = alignmentScores(reference.initial, reference.final, run.final);
  const byLayer: Record<string, number> = {};
  for (const [k, t] of Object.entries(scores)) byLayer[k] = (await t.data())[0] as number;
  tf.dispose(Object.values(scores));
  const values = Object.values(byLayer).filter(Number.isFinite);
  return { mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN, byLayer };
}

const disposeRun = (r: TrainedRun) => tf.dispose([Object.values(r.initial ?? {}), Object.values(r.final ?? {})]);

async function run(argv: string[], io: Io): Promise<number> {
  const command = `run ${NAME}`;
  const { values } = parseFlags(command, argv, {
    widths: { type: 'string' },
    'small-widths': { type: 'string' },
    'add-widths': { type: 'string' },
    'mnist-steps': { type: 'string' },
    'add-steps': { type: 'string' },
    'small-data': { type: 'string' },
    settings: { type: 'string' },
    rules: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string', default: `runs/${NAME}` },
    ...OUTPUT_FLAGS,
    from: { type: 'string' },
  });
  if (values.help) return (io.out(HELP), 0);
  const scale = {
    mnistWidths: intListFlag(command, 'widths', values.widths) ?? s.mnistWidths,
    smallWidths: intListFlag(command, 'small-widths', values['small-widths']) ?? s.smallWidths,
    addWidths: intListFlag(command, 'add-widths', values['add-widths']) ?? s.addWidths,
    mnistSteps: intFlag(command, 'mnist-steps', values['mnist-steps']) ?? s.mnistSteps,
    addSteps: intFlag(command, 'add-steps', values['add-steps']) ?? s.addSteps,
    smallData: intFlag(command, 'small-data', values['small-data']) ?? s.smallData,
  };
  const rules = listFlag(values.rules) ?? [...DEFAULT_RULES];
  const unknownRule = rules.find((r) => !(r in RULES));
  if (unknownRule)
    throw new UsageError(`${command}: unknown rule "${unknownRule}"; rules: ${Object.keys(RULES).join(', ')}`);
  const ruleIds = ['backprop', ...rules.filter((r) => r !== 'backprop')] as RuleId[];
  const all = settings(scale);
  const wanted = listFlag(values.settings) ?? all.map((x) => x.id);
  const unknownSetting = wanted.find((w) => !all.some((x) => x.id === w));
  if (unknownSetting)
    throw new UsageError(
      `${command}: unknown setting "${unknownSetting}"; settings: ${all.map((x) => x.id).join(', ')}`,
    );
  const chosen = all.filter((x) => wanted.includes(x.id));
  const seed = intFlag(command, 'seed', values.seed, 0) ?? 0;
  const threads = intFlag(command, 'threads', values.threads, 1);
  const log = (line: string) => (values.json ? io.err(line) : io.out(line));

  const earlier =
    values.from === undefined
      ? undefined
      : (readJsonFile(command, '--from', values.from) as {
          rows: SweepRow[];
          backend: string;
          wallSeconds: number;
          scale: typeof scale;
          seed: number;
          threads: number | null;
        });
  const backend = earlier
    ? { name: earlier.backend }
    : await setupBackend(values.backend as 'wasm', { kernels: KERNELS, ...(threads !== undefined ? { threads } : {}) });
  const started = performance.now();
  const rows: SweepRow[] = earlier?.rows ?? [];
  for (const setting of earlier ? [] : chosen) {
    for (const width of setting.widths) {
      let reference: TrainedRun | undefined;
      for (const rule of ruleIds) {
        const sets = [
          ...setting.sets,
          ...setting.widthSets(width),
          ...RULES[rule],
          `trainer.lr=${setting.lr}`,
          `run.steps=${setting.steps}`,
          `run.evalEvery=${setting.steps}`,
          `run.seed=${seed}`,
          `backend="${backend.name}"`,
        ];
        io.status(`${setting.id} width ${width} ${rule}…`);
        const trained = await trainRun(setting.preset, sets, `${NAME}-${setting.id}-w${width}-${rule}-s${seed}`);
        const r0 = trained.summary.replicas[0];
        const score = reference ? await alignment(reference, trained) : null;
        const finite = (v: number | null | undefined) =>
          v === null || v === undefined || !Number.isFinite(v) ? null : v;
        const row: SweepRow = {
          setting: setting.id,
          width,
          rule,
          testAccuracy: finite(r0?.testAccuracy),
          testMse: setting.metric === 'mse' ? finite(r0?.testError) : null,
          finalLoss: r0?.finalLoss ?? Number.NaN,
          alignment: score?.mean ?? null,
          alignmentByLayer: score?.byLayer ?? {},
          status: trained.summary.status,
          wallSeconds: trained.summary.wallSeconds,
          stepsPerSecond: trained.summary.steps / trained.summary.wallSeconds,
        };
        rows.push(row);
        log(
          `${setting.id} w=${width} ${rule.padEnd(16)} ${setting.metric === 'mse' ? `test mse ${fmt(row.testMse, 4)}` : `test acc ${fmt(row.testAccuracy)}`}  loss ${fmt(row.finalLoss, 4)}  alignment ${fmt(row.alignment, 3)}  ${fmt(row.wallSeconds, 1)} s${row.status === 'completed' ? '' : `  [${row.status}]`}`,
        );
        if (rule === 'backprop') reference = trained;
        else disposeRun(trained);
      }
      if (reference) disposeRun(reference);
    }
  }
  io.status('');
  const wallSeconds = earlier?.wallSeconds ?? (performance.now() - started) / 1000;
  const titles = Object.fromEntries(chosen.map((x) => [x.id, x.title])) as Record<SettingId, string>;
  const figuresAt = figuresDir(values, values.out);
  const tables = chosen
    .map(
      (x) =>
        `### ${x.title}\n\n${x.metric === 'mse' ? 'test MSE' : 'test accuracy'} (alignment with backprop)\n\n${markdownTable(rows, x.id, ruleIds)}\n\nsteps/s (whole run, evaluation included)\n\n${speedTable(rows, x.id, ruleIds)}`,
    )
    .join('\n\n');
  // The data behind the figures goes beside them; the markdown tables go with the run outputs.
  const { figures, results: result } = await writeOutputs({
    figuresAt,
    figures: [
      ['align-width-performance', performanceSpec(rows, titles)],
      ['align-width-alignment', alignmentSpec(rows, titles)],
    ],
    results: (figures) => ({
      experiment: NAME,
      backend: backend.name,
      threads: earlier?.threads ?? threads ?? null,
      seed: earlier?.seed ?? seed,
      scale: earlier?.scale ?? scale,
      rules: ruleIds,
      wallSeconds,
      rows,
      figures,
    }),
    resultsPath: join(figuresAt, `${NAME}.json`),
    indent: 1,
    tables: { path: join(values.out, `${NAME}.md`), text: `${tables}\n` },
  });
  log(`\n${tables}\n`);
  log(
    `${rows.length} runs in ${fmt(wallSeconds / 60, 1)} min on ${backend.name} (shared machine: timings are noisy); figures: ${figures.join(', ')}; results: ${join(figuresAt, `${NAME}.json`)}, tables: ${join(values.out, `${NAME}.md`)}`,
  );
  if (values.json) io.out(JSON.stringify(result));
  return 0;
}

export const alignWidthSweep: NamedExperiment = {
  name: NAME,
  summary:
    'Align-zero / Align-ada / FA / DFA vs backprop across widths on MNIST and the add task (Boopathy & Fiete 2022)',
  help: HELP,
  run,
};
