import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { ConfigError } from '@learnability/core';
import { BACKEND_REQUESTS, KERNELS, applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import type { Io } from '../io.js';
import { flagHelp, parseSchemaFlags, threadsOffWasm, wasmThreadsFlag } from '../schema-flags.js';
import type { FlagSpecs, FlagValues } from '../schema-flags.js';
import { fusedAgreement } from './fused-agreement.js';
import type { FusedAgreement } from './fused-agreement.js';
import { nvidiaDriver } from './gpu-device.js';
import { measureOurs } from './gpu-measure.js';
import { runTorchGpu } from './gpu-reference.js';
import { referencePython } from './python-reference.js';
import type { TorchGpuReference, TorchGpuResult } from './gpu-reference.js';
import { compareRound, pairRounds } from './gpu-rounds.js';
import type { RoundRow } from './gpu-rounds.js';
import { agreementLine, renderGpuReport, startLine } from './gpu-report.js';
import type { GpuReport } from './gpu-report.js';
import {
  DEFAULT_PLAN,
  GPU_WORKLOADS,
  QUICK_PLAN,
  rcnnSpec,
  rnnSpec,
  trainCase,
  transformerSpec,
} from './gpu-workloads.js';
import type { GpuBenchPlan, GpuSpecs } from './gpu-workloads.js';
import { trainStepOf } from './train-bench.js';

/** A count flag whose default is the plan's (`--quick` has its own). */
const planned = (doc: string) => ({ type: 'int?', default: null, min: 1, doc }) as const;

const FLAGS = {
  backend: { type: 'enum', values: BACKEND_REQUESTS, default: 'webgpu', doc: 'backend of our side' },
  threads: wasmThreadsFlag(
    "wasm threads of our side, and of the run row's wasm and auto runs (default: all cores, and the runs measure their own; PyTorch's CPU reference uses 1 torch thread, OpenBLAS on the faster of 1 and its pool)",
  ),
  only: { type: 'string[]', default: [...DEFAULT_PLAN.only], values: GPU_WORKLOADS, doc: 'workloads to run' },
  quick: {
    type: 'bool',
    default: false,
    doc: 'small counts for a software adapter or CI (not the full-size figures)',
  },
  steps: planned(`steps per timed block of the MLPs (default ${DEFAULT_PLAN.steps}; --quick ${QUICK_PLAN.steps})`),
  repeats: planned(`timed blocks per workload (default ${DEFAULT_PLAN.repeats}; --quick ${QUICK_PLAN.repeats})`),
  rounds: planned(
    `rounds, each timing every workload ours then PyTorch's; the ratio is the median of the rounds' (default ${DEFAULT_PLAN.rounds})`,
  ),
  replicas: planned(
    `replicas of the parity model as one program (default ${DEFAULT_PLAN.replicas}; --quick ${QUICK_PLAN.replicas})`,
  ),
  'replica-steps': planned(
    `steps of the replicated run (default ${DEFAULT_PLAN.replicaSteps}; --quick ${QUICK_PLAN.replicaSteps})`,
  ),
  scale: {
    type: 'enum',
    values: ['paper', 'small', 'plan'],
    default: 'plan',
    doc: `transformer size: the paper's or the -small presets' (plan: ${DEFAULT_PLAN.transformerScale}; --quick ${QUICK_PLAN.transformerScale})`,
  },
  'transformer-steps': planned(
    `steps per timed block of the transformers (default ${DEFAULT_PLAN.transformerSteps}; --quick ${QUICK_PLAN.transformerSteps})`,
  ),
  'transformer-batch': {
    type: 'int?',
    default: null,
    min: 1,
    doc: "batch of the transformers, ours and PyTorch's (default: the preset's, 64)",
  },
  'rcnn-n': planned(
    `n of the RCNN's sparse parity: a 1×n grid, T = n + 1 (default ${DEFAULT_PLAN.rcnnBits}; --quick ${QUICK_PLAN.rcnnBits})`,
  ),
  'rcnn-steps': planned(
    `steps per timed block of the RCNN (default ${DEFAULT_PLAN.rcnnSteps}; --quick ${QUICK_PLAN.rcnnSteps})`,
  ),
  'rnn-steps': planned(
    `steps per timed block of the RNN (default ${DEFAULT_PLAN.rnnSteps}; --quick ${QUICK_PLAN.rnnSteps})`,
  ),
  'matmul-size': planned(`n of the n×n matMul (default ${DEFAULT_PLAN.matmulSize}; --quick ${QUICK_PLAN.matmulSize})`),
  'matmul-iters': planned(
    `matMuls per timed sample (default ${DEFAULT_PLAN.matmulIters}; --quick ${QUICK_PLAN.matmulIters})`,
  ),
  'run-set': {
    type: 'strings',
    arg: 'path=value',
    default: [],
    doc: 'override for the run row (repeatable; --quick shrinks it to n=12, width 64)',
  },
  'run-reference': {
    type: 'enum',
    values: BACKEND_REQUESTS,
    default: DEFAULT_PLAN.runReference,
    doc: 'backend the run row is compared with (with --backend wasm: cpu)',
  },
  'torch-device': { type: 'enum', values: ['cuda', 'cpu'], default: 'cuda', doc: "the PyTorch reference's device" },
  python: {
    type: 'string',
    arg: 'path',
    default: '',
    doc: 'Python with torch (empty: $LEARNABILITY_PYTHON, else /usr/bin/python3, else python3)',
  },
  'no-torch': { type: 'bool', default: false, doc: 'skip the PyTorch reference' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench gpu [options] [--json]

The GPU workloads of docs/benchmarks.md on the current adapter and, in the same invocation, the PyTorch
reference (bench/torch_gpu.py; fp32, TF32 off) when torch with CUDA is importable — otherwise
the report says why it was skipped. Each training workload runs the training loop of
"learnability run" (host sampling, upload, trainer.step, the loss read back once per timed
block, after a warm-up of at least a second), so it times whichever step the trainer picks; each
row names it (fused kernel, or generic TF.js and why).

Workloads (--only, comma-separated; default all):
  parity    sparse-parity model n=50→1000→1, hinge, SGD, batch 32 (steps/s)
  mlp512    50→512→512→1, MSE, SGD, batch 64 (steps/s)
  replicas  R replicas of the parity model × S steps as one program (wall; PyTorch: stacked weights +
            bmm, or on its CPU the faster of that and one network after another)
  looped    looped GPT-2, paper scale: d=20, 41 points, D=256, 8 heads, b=20, T=15, batch 64, Adam (steps/s)
  standard  the 12-layer GPT-2 baseline on the same prompts (steps/s)
  rcnn      the RCNN of rcnn-parity at n=32: 1×32 grid, C=8, 1×3 filter, T=33, Adam, batch 32 (steps/s)
  rnn       the ReLU RNN of align-add: T=100, width 64, batch 50, MSE, backprop + SGD (steps/s)
  matmul    n×n fp32 matMul (TFLOP/s)
  run       "learnability run sparse-parity" spawned on this backend and on --run-reference (wall)
The transformers run at full size from the first step (curricula off). Ratio: ours ÷ PyTorch
for rates, PyTorch's wall ÷ ours for wall times, the reference backend's wall ÷ ours for run:
> 1 always means ours is faster. Each workload is timed ours then PyTorch's, seconds apart, and
the ratio taken within that pair; --rounds N repeats the pairs and reports the median of the N
ratios with their range (use it on a machine whose speed drifts, such as a shared CPU).
--json prints every raw sample and each round's ratios.

${flagHelp(FLAGS)}`;

const TRANSFORMERS = ['looped', 'standard'] as const;

/** Steps the fused step is checked against the generic one before anything is timed (the transformers' generic step is slow). */
const AGREEMENT_STEPS = 20;
const TRANSFORMER_AGREEMENT_STEPS = 5;

/** The parity degree of the RCNN row's preset (gpu-workloads.ts): `--rcnn-n` must hold it. */
const RCNN_K = (getPreset('rcnn-parity').config.task as { k: number }).k;

/** The workloads each workload-specific flag sizes: given without any of them selected, it would do nothing. */
const FLAG_WORKLOADS: Partial<Record<keyof typeof FLAGS, readonly string[]>> = {
  steps: ['parity', 'mlp512'],
  replicas: ['replicas'],
  'replica-steps': ['replicas'],
  scale: TRANSFORMERS,
  'transformer-steps': TRANSFORMERS,
  'transformer-batch': TRANSFORMERS,
  'rcnn-n': ['rcnn'],
  'rcnn-steps': ['rcnn'],
  'rnn-steps': ['rnn'],
  'matmul-size': ['matmul'],
  'matmul-iters': ['matmul'],
  'run-set': ['run'],
  'run-reference': ['run'],
};

/** Flags given that the selected workloads (or --no-torch) leave unused: said, not written into the plan as if used. */
function unusedFlags(v: FlagValues<typeof FLAGS>, given: ReadonlySet<string>): string[] {
  const problems = Object.entries(FLAG_WORKLOADS).flatMap(([flag, workloads]) =>
    given.has(flag) && !workloads.some((w) => v.only.includes(w as (typeof v.only)[number]))
      ? [`--${flag} sizes ${workloads.join(' and ')}, which --only ${v.only.join(',')} does not select`]
      : [],
  );
  for (const flag of ['torch-device', 'python'])
    if (given.has(flag) && v['no-torch'])
      problems.push(`--${flag} is for the PyTorch reference, which --no-torch skips`);
  return problems;
}

/**
 * What would fail only once the workloads run, minutes in: an RCNN n below its k, a --run-set the
 * run preset refuses, and a --python that does not exist (given, it is not skipped quietly); and
 * flags the selected workloads would leave unused.
 */
function lateProblems(v: FlagValues<typeof FLAGS>, given: ReadonlySet<string>): string[] {
  const problems = [...threadsOffWasm(v), ...unusedFlags(v, given)];
  const n = v['rcnn-n'];
  if (n !== null && n < RCNN_K)
    problems.push(
      `--rcnn-n: the RCNN's parity has k = ${RCNN_K} relevant bits, so n must be ≥ ${RCNN_K}, but got ${n}`,
    );
  if (v['run-set'].length > 0) {
    try {
      validateConfig(applyOverrides(getPreset(DEFAULT_PLAN.runPreset).config, v['run-set']));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(`--run-set: ${e.message}`);
    }
  }
  if (given.has('run-reference') && v['run-reference'] === v.backend && v.only.includes('run'))
    problems.push(
      `--run-reference: ${v.backend} is --backend itself, so the run row would compare a backend with itself; pick another backend (e.g. --run-reference ${v.backend === 'wasm' ? 'cpu' : 'wasm'})`,
    );
  if (v.python.includes('/') && !existsSync(v.python))
    problems.push(`--python: ${v.python} does not exist; pass a Python with torch, or leave --python out`);
  return problems;
}

export async function benchGpuCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench gpu', argv, FLAGS, lateProblems);
  const values = parsed.values;
  if (parsed.help) return (io.out(HELP), 0);
  const plan = planFrom(values, parsed.given);
  const torchDevice = values['torch-device'];
  const python = values.python || referencePython();

  const threads = values.threads === null ? {} : { threads: values.threads };
  const backend = await setupBackend(values.backend, { kernels: KERNELS, ...threads });
  const driver = nvidiaDriver();
  const path = await trainStepOf(trainCase('parity', plan));
  const log = (line: string) => (parsed.json ? io.err(line) : io.out(line));
  log(startLine(backend, driver, path.trainStep));
  const agreement: Record<string, FusedAgreement | null> = {};
  for (const w of ['parity', 'mlp512', ...TRANSFORMERS.filter((t) => plan.only.includes(t))] as const) {
    const steps = w === 'looped' || w === 'standard' ? TRANSFORMER_AGREEMENT_STEPS : AGREEMENT_STEPS;
    agreement[w] = await fusedAgreement(trainCase(w, plan), steps);
    log(agreementLine(w, agreement[w] ?? null, steps));
  }

  const specs: GpuSpecs = {};
  for (const w of TRANSFORMERS) if (plan.only.includes(w)) specs[w] = transformerSpec(trainCase(w, plan));
  if (plan.only.includes('rcnn')) specs.rcnn = rcnnSpec(trainCase('rcnn', plan));
  if (plan.only.includes('rnn')) specs.rnn = rnnSpec(trainCase('rnn', plan));
  // Each workload ours then PyTorch's, seconds apart, in every round (gpu-rounds.ts).
  const rounds: RoundRow[][] = [];
  let figures: (TorchGpuReference & { ran: true }) | null = null;
  // Why the reference cannot run at all (no later spawn would change it), or why one run failed.
  let lasting: string | null = values['no-torch'] ? '--no-torch' : null;
  let failed: string | null = null;
  for (let round = 1; round <= plan.rounds; round++) {
    const rows: RoundRow[] = [];
    for (const w of plan.only) {
      const of = plan.rounds > 1 ? ` (round ${round} of ${plan.rounds})` : '';
      io.status(`timing ${w} on ${backend.name}${of}…`);
      const m = await measureOurs(w, plan, backend.name, specs);
      let theirs: TorchGpuReference = { ran: false, reason: lasting ?? 'no PyTorch version' };
      if (w !== 'run' && lasting === null) {
        io.status(`running the PyTorch reference for ${w} (bench/torch_gpu.py, ${torchDevice})${of}…`);
        theirs = runTorchGpu({ ...plan, only: [w] }, specs, { device: torchDevice, python, timeoutMs: 3_600_000 });
        // The first run's versions and device describe the reference; the rounds keep every figure.
        if (theirs.ran) figures ??= theirs;
        else if (theirs.lasting) lasting = theirs.reason;
        else {
          io.err(`bench gpu: no PyTorch figure for ${w}${of}: ${theirs.reason}`);
          failed ??= theirs.reason;
        }
      }
      rows.push(compareRound(m, theirs, plan));
    }
    rounds.push(rows);
  }
  io.status('');
  const torch: TorchGpuReference = figures ?? {
    ran: false,
    reason: lasting ?? failed ?? 'no workload with a PyTorch version was selected',
  };

  const result: GpuReport & { benchmark: 'gpu' } = {
    benchmark: 'gpu',
    backend: backend.name,
    adapter: backend.adapter ?? null,
    driver,
    tfjs: tf.version_core,
    trainStep: path.trainStep,
    fusedAgreement: agreement,
    plan,
    rows: pairRounds(rounds),
    rounds: rounds.map((rows) =>
      rows.map(({ workload, ours, reference, ratio }) => ({ workload, ours, reference, ratio })),
    ),
    torch: torch.ran ? withoutFigures(torch.result) : { skipped: torch.reason },
    torchDevice,
  };
  if (parsed.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  for (const line of renderGpuReport(result)) io.out(line);
  return 0;
}

/** The reference's description without its figures (the report's `rounds` and `rows` hold them all). */
function withoutFigures(result: TorchGpuResult): Omit<TorchGpuResult, 'workloads'> {
  const { workloads: _figures, ...about } = result;
  return about;
}

/** The plan: `--quick`'s or the default, with each count flag given over it. */
function planFrom(values: FlagValues<typeof FLAGS>, given: ReadonlySet<string>): GpuBenchPlan {
  const base = values.quick ? QUICK_PLAN : DEFAULT_PLAN;
  return {
    only: GPU_WORKLOADS.filter((w) => values.only.includes(w)),
    steps: values.steps ?? base.steps,
    repeats: values.repeats ?? base.repeats,
    rounds: values.rounds ?? base.rounds,
    replicas: values.replicas ?? base.replicas,
    replicaSteps: values['replica-steps'] ?? base.replicaSteps,
    transformerScale: values.scale === 'plan' ? base.transformerScale : values.scale,
    transformerSteps: values['transformer-steps'] ?? base.transformerSteps,
    transformerBatch: values['transformer-batch'] ?? base.transformerBatch,
    rcnnBits: values['rcnn-n'] ?? base.rcnnBits,
    rcnnSteps: values['rcnn-steps'] ?? base.rcnnSteps,
    rnnSteps: values['rnn-steps'] ?? base.rnnSteps,
    matmulSize: values['matmul-size'] ?? base.matmulSize,
    matmulIters: values['matmul-iters'] ?? base.matmulIters,
    runPreset: base.runPreset,
    runSet: values['run-set'].length > 0 ? values['run-set'] : base.runSet,
    // Left out with --backend wasm, the default (wasm) would compare wasm with itself: cpu then.
    runReference: !given.has('run-reference') && values.backend === 'wasm' ? 'cpu' : values['run-reference'],
    runThreads: values.threads,
  };
}
