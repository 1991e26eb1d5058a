import { join } from 'node:path';
import { setupBackend } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import { intFlag, intListFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { fmt } from '../render/table.js';
import type { NamedExperiment } from './index.js';
import { OUTPUT_FLAGS, OUTPUT_HELP, figuresDir, writeOutputs } from './outputs.js';
import { runElimination } from './rcnn-vs-elimination/elimination.js';
import { raceSpec } from './rcnn-vs-elimination/figures.js';
import { runInContext } from './rcnn-vs-elimination/in-context.js';
import { measureMemory } from './rcnn-vs-elimination/memory.js';
import { directTable, inContextTable, memoryTable } from './rcnn-vs-elimination/report.js';
import type { DirectRow, Family, InContextResult, Results } from './rcnn-vs-elimination/results.js';
import { medianLearned, trainNetwork } from './rcnn-vs-elimination/train.js';
import type { NetworkRun } from './rcnn-vs-elimination/train.js';

const NAME = 'rcnn-vs-elimination';

const HELP = `learnability run ${NAME} [options]

Goel, Kakade, Kalai, Zhang 2022 (PAPERS.md §2) against GF(2) Gaussian elimination: on sparse
and full parity for growing n, samples and wall time to 99% test accuracy for the RCNN (preset
rcnn-parity: Adam 3e-3 on the squared error), the dense MLP (preset sparse-parity: Barak et
al.'s width-1000 ReLU net, trained with the RCNN's Adam by default, or with the preset's SGD) and
elimination (n + ⌈log₂(1/δ)⌉ samples in theory; measured on fresh streams). Then the
in-context use (preset rcnn-in-context-parity) against elimination run inside each prompt, and
the memory of a T-step unroll with and without gradient checkpointing. Writes a figure, markdown
tables and a JSON file.

  --sizes a,b,…        n for sparse parity (default 4,8,12,16,24,32; '' skips sparse parity)
  --k K                sparse parity degree (default 3)
  --full-sizes a,b,…   n for full parity k = n (default 4,8,12,16; '' skips it)
  --mlp-trainer t      adam (the RCNN's optimiser: compares architectures) | sgd (Barak et al.'s
                       hinge, lr 0.1, wd 0.01) (default adam)
  --replicas R         networks per learner and parity (default 2)
  --max-steps N        step budget per network run (default 50000, batch 32; the time budget usually binds first)
  --max-seconds S      wall-clock budget per network run, checked at each evaluation (default 120; the in-context run gets 3×)
  --trials N           elimination streams per parity (default 200)
  --delta δ            failure probability of the elimination bound (default 0.01)
  --in-context-steps N steps of the in-context run (default 5000; 0 skips it)
  --depths a,b,…       unroll depths for the memory table (default 16,64,256; empty skips it)
  --backend b          cpu | wasm | webgpu (default wasm)
  --threads N          wasm threads (default 1: these kernels are tiny, and the machine is shared)
  --seed s             seed of the networks, the streams and the hidden subsets (default 0)
  --out dir            results JSON, tables and figure (default runs/${NAME})
${OUTPUT_HELP}
  --json               print the results object on stdout`;

const summary = (run: NetworkRun) => {
  const m = medianLearned(run.samples);
  return m === null
    ? `not learned in ${run.samplesSeen.toLocaleString('en-US')} samples (${run.ended})`
    : `${m.toLocaleString('en-US')} samples, ${fmt(medianLearned(run.seconds), 1)} s`;
};

async function run(argv: string[], io: Io): Promise<number> {
  const command = `run ${NAME}`;
  const { values } = parseFlags(command, argv, {
    sizes: { type: 'string' },
    k: { type: 'string' },
    'full-sizes': { type: 'string' },
    'mlp-trainer': { type: 'string', default: 'adam' },
    replicas: { type: 'string' },
    'max-steps': { type: 'string' },
    'max-seconds': { type: 'string' },
    trials: { type: 'string' },
    delta: { type: 'string' },
    'in-context-steps': { type: 'string' },
    depths: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string', default: `runs/${NAME}` },
    ...OUTPUT_FLAGS,
  });
  if (values.help) return (io.out(HELP), 0);
  // An empty list skips that part: --sizes '' --full-sizes '' --depths ''.
  const list = (flag: string, value: string | undefined, fallback: number[]) =>
    value === '' ? [] : (intListFlag(command, flag, value) ?? fallback);
  const sizes = list('sizes', values.sizes, [4, 8, 12, 16, 24, 32]);
  const k = intFlag(command, 'k', values.k) ?? 3;
  const fullSizes = list('full-sizes', values['full-sizes'], [4, 8, 12, 16]);
  const replicas = intFlag(command, 'replicas', values.replicas) ?? 2;
  const maxSteps = intFlag(command, 'max-steps', values['max-steps']) ?? 50_000;
  const maxSeconds = intFlag(command, 'max-seconds', values['max-seconds']) ?? 120;
  const trials = intFlag(command, 'trials', values.trials) ?? 200;
  const delta = values.delta === undefined ? 0.01 : Number(values.delta);
  if (!(delta > 0 && delta < 1))
    throw new UsageError(`${command}: --delta must be in (0, 1), but got "${values.delta}"`);
  const inContextSteps = intFlag(command, 'in-context-steps', values['in-context-steps'], 0) ?? 5_000;
  const depths = list('depths', values.depths, [16, 64, 256]);
  const threads = intFlag(command, 'threads', values.threads) ?? 1;
  const seed = intFlag(command, 'seed', values.seed, 0) ?? 0;
  const badSize = sizes.find((n) => n < k);
  if (badSize !== undefined)
    throw new UsageError(`${command}: every sparse size must be ≥ k = ${k}, but --sizes has ${badSize}`);
  const mlpTrainer = values['mlp-trainer'];
  if (mlpTrainer !== 'adam' && mlpTrainer !== 'sgd')
    throw new UsageError(`${command}: --mlp-trainer must be adam or sgd, but got "${mlpTrainer}"`);
  // The RCNN's trainer (preset rcnn-parity), or the sparse-parity preset's own SGD.
  const mlpSets = mlpTrainer === 'adam' ? ['trainer={"name":"adam","lr":0.003,"loss":"mse"}'] : [];
  const log = (line: string) => (values.json ? io.err(line) : io.out(line));

  const backend = await setupBackend(values.backend as 'wasm', {
    kernels: KERNELS,
    ...(values.backend === 'wasm' ? { threads } : {}),
  });
  const started = performance.now();
  const common = [
    `run.replicas=${replicas}`,
    `run.seed=${seed}`,
    `run.steps=${maxSteps}`,
    'run.evalEvery=50',
    'run.testSize=1000',
    `backend="${backend.name}"`,
  ];
  const parities: { family: Family; n: number; k: number }[] = [
    ...sizes.map((n) => ({ family: 'sparse' as const, n, k })),
    ...fullSizes.map((n) => ({ family: 'full' as const, n, k: n })),
  ];
  const direct: DirectRow[] = [];
  for (const p of parities) {
    const task = [`task.n=${p.n}`, `task.k=${p.k}`, `task.seed=${seed}`, 'learners=[]'];
    io.status(`${p.family} parity n=${p.n}: elimination…`);
    const elimination = runElimination(p.n, p.k, trials, delta, seed);
    io.status(`${p.family} parity n=${p.n}: RCNN…`);
    const rcnn = await trainNetwork(
      'rcnn-parity',
      [...task, ...common],
      `${NAME}-rcnn-${p.family}-n${p.n}`,
      maxSeconds,
    );
    io.status(`${p.family} parity n=${p.n}: dense MLP…`);
    const dense = await trainNetwork(
      'sparse-parity',
      [...task, ...common, ...mlpSets],
      `${NAME}-dense-${p.family}-n${p.n}`,
      maxSeconds,
    );
    direct.push({ ...p, elimination, rcnn, dense });
    io.status('');
    log(
      `${p.family} parity n=${p.n}, k=${p.k}: elimination ${fmt(elimination.medianSamples, 1)} samples (bound ${elimination.theorySamples}), ${fmt(elimination.meanMicroseconds, 1)} µs | RCNN ${summary(rcnn)} | MLP ${summary(dense)}`,
    );
  }

  let inContext: InContextResult | null = null;
  if (inContextSteps > 0) {
    io.status('in-context parity: RCNN…');
    inContext = await runInContext(
      [`run.replicas=1`, `run.seed=${seed}`, `run.steps=${inContextSteps}`, `backend="${backend.name}"`],
      `${NAME}-in-context`,
      3 * maxSeconds,
    );
    const { n, k: kk, examples, rcnn, elimination } = inContext;
    io.status('');
    log(
      `in-context parity n=${n}, k=${kk}, m=${examples}: RCNN test accuracy ${rcnn.finalTestAccuracy.map((a) => fmt(a)).join(', ')} after ${rcnn.steps} steps (${fmt(rcnn.wallSeconds, 1)} s) | elimination in each prompt ${fmt(elimination.accuracy)} | row lookup ${fmt(elimination.lookupAccuracy)}`,
    );
  }

  io.status(depths.length ? 'memory of deep unrolls…' : '');
  const memory = await measureMemory(depths, 32);
  io.status('');
  const wallSeconds = (performance.now() - started) / 1000;
  const results: Results = {
    experiment: NAME,
    backend: backend.name,
    threads: values.backend === 'wasm' ? threads : null,
    seed,
    mlpTrainer,
    direct,
    inContext,
    memory,
    wallSeconds,
  };

  const figuresAt = figuresDir(values, values.out);
  const title = `RCNN vs dense MLP (${mlpTrainer}) vs GF(2) elimination (${backend.name}, ${replicas} replicas, budget ${maxSteps} steps / ${maxSeconds} s per run)`;
  const tables = [
    ...(direct.length
      ? [
          `### Samples and wall time to 99% test accuracy (δ = ${delta}; MLP trained with ${mlpTrainer})\n\n${directTable(direct)}`,
        ]
      : []),
    ...(inContext ? [`### In-context parity\n\n${inContextTable(inContext)}`] : []),
    ...(memory.length
      ? [`### One gradient of a T-step unroll (in-context RCNN, batch 32)\n\n${memoryTable(memory)}`]
      : []),
  ].join('\n\n');
  const jsonPath = join(values.out, `${NAME}.json`);
  const { figures } = await writeOutputs({
    figuresAt,
    figures: direct.length ? [[NAME, raceSpec(direct, title)]] : [],
    results: () => results,
    resultsPath: jsonPath,
    indent: 1,
    tables: { path: join(values.out, `${NAME}.md`), text: `${tables}\n` },
  });
  if (values.json) io.out(JSON.stringify(results));
  else log(`\n${tables}\n`);
  log(
    `${fmt(wallSeconds / 60, 1)} min on ${backend.name}${results.threads ? ` (${threads} thread${threads > 1 ? 's' : ''})` : ''}; shared machine, timings are noisy. figures: ${figures.join(', ')}; results: ${jsonPath}`,
  );
  return 0;
}

export const rcnnVsElimination: NamedExperiment = {
  name: NAME,
  summary:
    'RCNN vs dense MLP vs GF(2) elimination on sparse and full parity: samples and time to learn (Goel et al. 2022)',
  help: HELP,
  run,
};
